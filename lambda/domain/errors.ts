/**
 * What the domain refuses, in its own terms: no HTTP statuses and no Mirror API bodies. The
 * HTTP edge (lambda/http/error-responses.ts) maps each to the Mirror API's typed error.
 */
export abstract class DomainError extends Error {}

/** The request asks for something that cannot be computed (a bad name, range, step, method). */
export class InvalidRequestError extends DomainError {
  constructor(
    readonly summary: string,
    readonly details: string,
  ) {
    super(`${summary}: ${details}`);
    this.name = 'InvalidRequestError';
  }
}

/** The store does not evaluate PromQL as a Prometheus does, so the mirror will not guess. */
export class UnsupportedEngineError extends DomainError {
  constructor(readonly details: string) {
    super(details);
    this.name = 'UnsupportedEngineError';
  }
}

/** The query's estimated cost passes the deployment's limit: refused before it is sent. */
export class QueryTooCostlyError extends DomainError {
  readonly summary = 'Query too costly';

  constructor(readonly details: string) {
    super(`Query too costly: ${details}`);
    this.name = 'QueryTooCostlyError';
  }
}
