import { Deadline } from '../deadline.js';
import { MetricStoreConnectionError } from '../errors.js';
import { httpTransport } from '../upstream/http-transport.js';
import { withRetries } from '../upstream/retry.js';
import type { Transport, UpstreamResponse } from '../upstream/transport.js';
import { AnswerTooLargeError } from '../upstream/upstream-limits.js';
import type { AwsCredentials } from './credential-cache.js';
import { signRequest } from './signer.js';

/**
 * The two AWS APIs the mirror calls besides AMP — STS `AssumeRole` and Secrets Manager
 * `GetSecretValue` — sent the way AMP requests are: signed with SigV4 by `signer.ts` and
 * sent on the kept-alive `node:http` transport. The AWS SDK clients did the same work with
 * ~170 KiB of bundle and ~40 ms of first-call CPU on every cold start (`npm run bench -- cold`).
 */
export interface AwsService {
  /** SigV4 signing name, also the endpoint's first label: `sts`, `secretsmanager`. */
  readonly name: string;
  /** The SDK's endpoint variable for the service (`AWS_ENDPOINT_URL_STS`); tests point it at a local stand-in. */
  readonly endpointVariable: string;
  /** The longest successful answer read; a longer one is an error. */
  readonly maxAnswerBytes: number;
}

/** One call: a POST to the service's regional endpoint. */
export interface AwsApiCall {
  service: AwsService;
  region: string;
  credentials: AwsCredentials;
  /** `content-type`, and `x-amz-target` for JSON APIs. */
  headers: Record<string, string>;
  body: string;
  /** The caller's end (its request's deadline); the call also ends at `timeoutMs`. */
  signal?: AbortSignal | undefined;
  /** The call's own limit, both attempts included. */
  timeoutMs: number;
}

/** An answer from the service: status and text (success or AWS error, as the caller reads it). */
export interface AwsApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error answer of an AWS API: its code (`AccessDenied`, `ResourceNotFoundException`, …) is the name. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Two attempts, as the SDK clients were configured: one retry of throttling, 5xx and a broken connection. */
const MAX_ATTEMPTS = 2;

/** The error codes with which AWS's Query and JSON protocols say "throttled", answered with HTTP 400. */
const THROTTLING_CODES =
  /^(Throttling|ThrottlingException|ThrottledException|RequestThrottledException|TooManyRequestsException|RequestLimitExceeded|ProvisionedThroughputExceededException)$/;

let baseTransport: Transport = httpTransport;

/** Replaces the network under every AWS API call. For tests, and for nothing else; returns the one it replaced. */
export function useAwsTransport(transport: Transport): Transport {
  const previous = baseTransport;
  baseTransport = transport;
  return previous;
}

/**
 * The service's endpoint in `region`: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`
 * (the SDK's variables, same precedence), else `https://<service>.<region>.amazonaws.com`
 * (`.amazonaws.com.cn` for the China regions).
 */
export function awsEndpoint(service: AwsService, region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const configured = env[service.endpointVariable] || env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service.name}.${region}.${suffix}/`);
}

/**
 * Sends one signed POST and returns the service's answer, error answers included (the caller
 * parses its protocol's error). Throttling (429, or 400 with a throttling code), 5xx and a
 * broken connection get one more attempt, with jitter, if time allows.
 *
 * @throws AbortError when the caller's signal ended the call, TimeoutError when `timeoutMs`
 *   did, the system error (`ECONNREFUSED`, `ENOTFOUND`, … as `code`) when the network failed,
 *   AwsServiceError `AnswerTooLarge` for an answer over the service's cap.
 */
export async function callAwsApi(call: AwsApiCall, env: NodeJS.ProcessEnv = process.env): Promise<AwsApiAnswer> {
  const deadline = Deadline.after(call.timeoutMs);
  const own = deadline.signal();
  const signal = call.signal === undefined ? own : AbortSignal.any([call.signal, own]);
  const url = awsEndpoint(call.service, call.region, env);
  const network = baseTransport;
  const send = withRetries(
    async (attempt) => throttlingAs429(await network(await signRequest(attempt, call.credentials, call.region, call.service.name))),
    {
      deadline,
      maxAttempts: MAX_ATTEMPTS,
      baseMs: 50,
      minAttemptMs: 100,
    },
  );
  try {
    const answer = await send({
      method: 'POST',
      url,
      headers: call.headers,
      body: call.body,
      signal,
      maxBytes: call.service.maxAnswerBytes,
    });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  } catch (error) {
    throw plainError(error, call, own);
  }
}

/**
 * AWS says "throttled" with HTTP 400 and a code in the body; seen as the 429 it means so that
 * `withRetries` backs off as it does for AMP's. The body (and so the code) is kept.
 */
function throttlingAs429(answer: UpstreamResponse): UpstreamResponse {
  if (answer.status !== 400) return answer;
  const code = errorCodeOf(answer);
  return code !== undefined && THROTTLING_CODES.test(code) ? { ...answer, status: 429 } : answer;
}

/**
 * The error code of an AWS error answer in either protocol: the JSON `__type` (namespace
 * dropped) or `x-amzn-errortype` header, or the Query XML's `<Code>`.
 */
export function errorCodeOf(answer: AwsApiAnswer): string | undefined {
  const header = answer.headers['x-amzn-errortype'];
  if (header) return header.split(':')[0]?.trim() || undefined;
  const json = /"__type"\s*:\s*"([^"]{1,200})"/.exec(answer.body)?.[1];
  if (json !== undefined) return json.slice(json.lastIndexOf('#') + 1);
  const xml = xmlText(answer.body, 'Code');
  return xml === undefined ? undefined : xml.trim();
}

/**
 * The text of the first `<tag>…</tag>` in `xml`, entities decoded; undefined when absent.
 * Linear: two `indexOf` and one replace over the (capped) answer.
 */
export function xmlText(xml: string, tag: string, from = 0): string | undefined {
  const open = `<${tag}>`;
  const start = xml.indexOf(open, from);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${tag}>`, start + open.length);
  if (end < 0) return undefined;
  return decodeXmlEntities(xml.slice(start + open.length, end));
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const point = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return point <= 0x10ffff ? String.fromCodePoint(point) : whole;
  });
}

/** The transport's typed store error, turned back into what a caller of an AWS API reads. */
function plainError(error: unknown, call: AwsApiCall, own: AbortSignal): Error {
  if (error instanceof AnswerTooLargeError) {
    return new AwsServiceError('AnswerTooLarge', 200, `${call.service.name} answered more than ${call.service.maxAnswerBytes} bytes`);
  }
  if (call.signal?.aborted) return named('AbortError', `the ${call.service.name} call was aborted`);
  if (own.aborted) return named('TimeoutError', `${call.service.name} did not answer within ${call.timeoutMs} ms`);
  if (error instanceof MetricStoreConnectionError && error.cause instanceof Error) return error.cause;
  return error instanceof Error ? error : new Error(String(error));
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
