import { MetricStoreConnectionError } from '../errors.js';
import type { UpstreamResponse } from './transport.js';

/** What a Prometheus-compatible API says in an error body. */
interface PrometheusErrorBody {
  status?: string;
  errorType?: string;
  error?: string;
  /** AWS services (AMP's gateway) say it here. */
  message?: string;
  Message?: string;
}

const MAX_QUOTED = 300;
/**
 * How much of an error text the classifier reads. The store's texts quote the caller's PromQL,
 * so they are as large as the caller likes; the limit names come first. Every check below is a
 * plain substring search over at most this much: linear, and no regular expression.
 */
export const MAX_CLASSIFIED_CHARS = 4096;

/**
 * Turns an upstream answer that is not a success into a typed error whose message tells
 * the StackState user what to fix. Upstream text is quoted only in part and only from
 * the store's own error field, never whole bodies (they may echo request data).
 */
export function upstreamHttpError(response: UpstreamResponse, origin: string): MetricStoreConnectionError {
  const parsed = parseErrorBody(response.body);
  const reason = firstText(parsed?.error, parsed?.message, parsed?.Message);
  const said = reason ? ` The store said: ${truncate(reason)}` : '';
  const status = response.status;
  const text = classifiable(reason ?? (parsed ? '' : response.body));

  if (status === 401) {
    return new MetricStoreConnectionError(
      'unauthorized',
      `${origin} answered 401 Unauthorized: it wants credentials. For AMP add an "aws" object to the Connection Details.${said}`,
    );
  }
  if (status === 403) {
    const type = classifiable(response.headers['x-amzn-errortype'] ?? '');
    const signature = signatureProblem(text, type);
    if (signature !== undefined) {
      return new MetricStoreConnectionError('signature', `${origin} rejected the request's SigV4 signature (403): ${signature}${said}`);
    }
    return new MetricStoreConnectionError(
      'permission',
      `${origin} answered 403 Forbidden: the identity the mirror uses may not read this workspace. Its IAM policy needs aps:QueryMetrics, aps:GetLabels, aps:GetSeries and aps:GetMetricMetadata on the workspace.${said}`,
    );
  }
  if (status === 404) {
    return new MetricStoreConnectionError(
      'not-found',
      `${origin} answered 404 Not Found for the Prometheus API: check the url in the Connection Details (for AMP: https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace id>, and that the workspace exists in that region).${said}`,
    );
  }
  if (status === 429) {
    return new MetricStoreConnectionError(
      'throttled',
      `${origin} is throttling the mirror (429 Too Many Requests). Ask StackState for fewer or shorter queries, or raise the store's query quota.${said}`,
    );
  }
  const limit = cortexLimit(text);
  if (limit !== undefined && (status === 400 || status === 422)) {
    return new MetricStoreConnectionError('limit', `${limit}${said}`);
  }
  if (status === 400 || (status === 422 && parsed?.errorType === 'bad_data')) {
    return new MetricStoreConnectionError('bad-query', `The store refused the query as invalid.${said}`);
  }
  if (status === 422 || status === 503 || parsed?.errorType === 'timeout' || parsed?.errorType === 'execution') {
    if (hasAny(text, ['timeout', 'timed out', 'deadline'])) {
      return new MetricStoreConnectionError(
        'timeout',
        `The query took longer than the store allows. Narrow the time range, use larger buckets, or add label filters.${said}`,
      );
    }
    if (hasAny(text, ['max number of series', 'maximum number of series', 'series limit', 'too many series'])) {
      return new MetricStoreConnectionError('limit', `${LIMIT_ADVICE.series}${said}`);
    }
    if (hasAny(text, ['samples', 'data size', 'bytes limit', 'chunks'])) {
      return new MetricStoreConnectionError('limit', `${LIMIT_ADVICE.samples}${said}`);
    }
    if (hasAny(text, ['time range', 'too long', 'exceeds the limit'])) {
      return new MetricStoreConnectionError('limit', `${LIMIT_ADVICE.timeRange}${said}`);
    }
    if (status === 422) {
      return new MetricStoreConnectionError('bad-query', `The store could not execute the query.${said}`);
    }
  }
  if (status >= 500) {
    return new MetricStoreConnectionError('server', `${origin} failed with HTTP ${status}. Try again later.${said}`);
  }
  if (!parsed) {
    return new MetricStoreConnectionError(
      'not-prometheus',
      `${origin} answered HTTP ${status} with a body that is not a Prometheus API answer: is the url a Prometheus (or AMP workspace) URL?`,
    );
  }
  return new MetricStoreConnectionError('server', `${origin} answered HTTP ${status}.${said}`);
}

/**
 * AWS's texts for a request whose signature or token it does not accept, and what to fix;
 * undefined when the 403 is about permissions instead. AMP answers like other AWS services:
 * a JSON `message` and the `x-amzn-ErrorType` header.
 */
function signatureProblem(text: string, errorType: string): string | undefined {
  const both = `${text} ${errorType}`;
  if (hasAny(text, ['scoped to a valid region', 'scoped to the correct region', 'credential should be scoped'])) {
    return "it was signed for a region other than the workspace's. Remove aws.region_name or set it to the region in the workspace URL.";
  }
  if (hasAny(both, ['signature we calculated does not match', 'signaturedoesnotmatch', 'invalidsignature'])) {
    return 'the signature does not match. The secret access key does not belong to the access key id, or something between the mirror and AMP changed the request.';
  }
  if (hasAny(both, ['security token included in the request is expired', 'expiredtoken'])) {
    return "the session token has expired, and getting new credentials did not help. With static keys, renew aws_session_token; otherwise check the clocks and the role's session duration.";
  }
  if (hasAny(both, ['security token included in the request is invalid', 'unrecognizedclient', 'invalidclienttokenid'])) {
    return 'AWS does not know the access key or its session token. Check aws_access_key_id / aws_session_token, or that the assumed role still exists.';
  }
  if (hasAny(text, ['signature', 'security token', 'credential', 'missing authentication token'])) {
    return 'check the region of the workspace (aws.region_name) and that the credentials are valid and not expired.';
  }
  return undefined;
}

/** What to do about each Cortex / AMP query limit: one text per limit, whichever way the store names it. */
const LIMIT_ADVICE = {
  series: 'The query touches more series than the store allows. Add label filters to select fewer series.',
  samples: 'The query reads more data than the store allows in one query. Narrow the time range, use larger buckets, or add label filters.',
  timeRange: "The query's time range is longer than the store allows (AMP: 32 days). Ask for a shorter time range.",
} as const;

/** A Cortex / AMP query limit named in an error text, as advice; undefined when none is. */
function cortexLimit(text: string): string | undefined {
  const timeRange = text.indexOf('time range');
  if (timeRange !== -1 && text.indexOf('exceeds', timeRange + 'time range'.length) !== -1) {
    return LIMIT_ADVICE.timeRange;
  }
  if (hasAny(text, ['max number of series', 'series limit'])) {
    return LIMIT_ADVICE.series;
  }
  if (
    hasAny(text, [
      'too many samples',
      'aggregated data size',
      'aggregated chunks size',
      'max number of chunks',
      'bytes limit',
      'chunks limit',
    ])
  ) {
    return LIMIT_ADVICE.samples;
  }
  return undefined;
}

export function notPrometheusError(origin: string, what: string): MetricStoreConnectionError {
  return new MetricStoreConnectionError(
    'not-prometheus',
    `${origin} did not answer like a Prometheus HTTP API (${what}): is the url a Prometheus (or AMP workspace) URL?`,
  );
}

function parseErrorBody(body: string): PrometheusErrorBody | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object') return value as PrometheusErrorBody;
  } catch {
    // AMP and proxies answer some errors with plain text or HTML
  }
  return undefined;
}

/** The first of the store's error fields that is a non-empty string (JSON may hold anything there). */
function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

/** The start of an error text, lower-cased, for the substring checks. */
function classifiable(text: string): string {
  return (text.length > MAX_CLASSIFIED_CHARS ? text.slice(0, MAX_CLASSIFIED_CHARS) : text).toLowerCase();
}

function hasAny(text: string, needles: readonly string[]): boolean {
  return needles.some((needle) => text.includes(needle));
}

function truncate(text: string): string {
  // bounded before the (linear) whitespace clean-up: at most 4× what is quoted
  const oneLine = text
    .slice(0, MAX_QUOTED * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED)}…` : oneLine;
}
