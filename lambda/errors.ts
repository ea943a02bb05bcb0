/**
 * The mirror's typed errors. Every error a caller can see is one of these: it carries
 * the HTTP status that fits and a body in the StackState Mirror API's error shapes.
 * Messages are written for the StackState user and never contain secrets or upstream
 * stack traces.
 */

export type MirrorErrorBody =
  | { _type: 'RemoteMirrorError'; summary: string; details: string }
  | { _type: 'MetricNotFoundError'; metric: string; details: string }
  | { _type: 'MetricStoreConnectionError'; details: string };

/** Which step of talking to the metric store failed: used by test connection and the logs. */
export type UpstreamFailure =
  | 'refused' // the request names a URL or role this deployment does not allow
  | 'network' // connection refused / reset, TLS failure
  | 'dns' // host name does not resolve
  | 'timeout' // no answer within request_timeout_seconds / the invocation's time
  | 'sts' // AssumeRole (or the mirror's own credentials) failed
  | 'signature' // the store rejected the SigV4 signature or the token
  | 'permission' // the store answered 403 for the caller's identity
  | 'not-found' // unknown workspace / URL path (404)
  | 'unauthorized' // 401 from a plain Prometheus
  | 'throttled' // 429 after retries
  | 'limit' // a query limit of the store (samples, series, time range)
  | 'bad-query' // the store refused the query as invalid (400/422 bad_data)
  | 'not-prometheus' // the answer is not a Prometheus HTTP API answer
  | 'server'; // 5xx after retries

export abstract class MirrorError extends Error {
  abstract readonly status: number;
  abstract toBody(): MirrorErrorBody;
  /** The Mirror API error type name, for logs and metrics. */
  get errorType(): string {
    return this.toBody()._type;
  }
}

/** The request is malformed or asks for something the mirror will not do (4xx). */
export class RemoteMirrorError extends MirrorError {
  constructor(
    readonly summary: string,
    readonly details: string,
    readonly status: number = 400,
    options?: ErrorOptions,
  ) {
    super(`${summary}: ${details}`, options);
    this.name = 'RemoteMirrorError';
  }
  toBody(): MirrorErrorBody {
    return { _type: 'RemoteMirrorError', summary: this.summary, details: this.details };
  }
}

/** The caller did not prove who it is (401). The body is typed; no API key header goes with it. */
export class CallerUnauthorizedError extends RemoteMirrorError {
  constructor(details: string) {
    super('Unauthorized', details, 401);
    this.name = 'CallerUnauthorizedError';
  }
}

/** The query selects nothing (404). */
export class MetricNotFoundError extends MirrorError {
  readonly status = 404;
  constructor(
    readonly metric: string,
    readonly details: string,
  ) {
    super(`${metric}: ${details}`);
    this.name = 'MetricNotFoundError';
  }
  toBody(): MirrorErrorBody {
    return { _type: 'MetricNotFoundError', metric: this.metric, details: this.details };
  }
}

/** Talking to the metric store (or to STS on its behalf) failed. */
export class MetricStoreConnectionError extends MirrorError {
  constructor(
    readonly failure: UpstreamFailure,
    readonly details: string,
    readonly status: number = statusForFailure(failure),
    options?: ErrorOptions,
  ) {
    super(details, options);
    this.name = 'MetricStoreConnectionError';
  }
  toBody(): MirrorErrorBody {
    return { _type: 'MetricStoreConnectionError', details: this.details };
  }
}

function statusForFailure(failure: UpstreamFailure): number {
  switch (failure) {
    case 'refused':
      return 403;
    case 'bad-query':
      return 400;
    case 'limit':
      return 422;
    case 'throttled':
      return 429;
    case 'timeout':
      return 504;
    default:
      return 502;
  }
}
