import type { ConnectionDetails } from '../protocol/connection-details.js';
import { checkRoleAllowed, checkUrlAllowed } from '../security/allowlist.js';
import { AMP_QSP_ERROR_THRESHOLD_PARAM, AMP_QUERY_TIMEOUT_CAP_MS } from '../aws/amp-limits.js';
import { ampTransport } from '../aws/amp-transport.js';
import { withRetries } from '../upstream/retry.js';
import { httpTransport } from '../upstream/http-transport.js';
import { PrometheusClient } from '../upstream/prometheus-client.js';
import { parseStoreUrl, type StoreUrl } from '../upstream/store-url.js';
import type { Transport } from '../upstream/transport.js';
import { type CacheScope, cacheScopeFor } from './cache/cache-scope.js';
import { type MirrorConfig, mirrorConfig } from './config.js';
import type { Invocation } from './invocation.js';

/** The store a request talks to, with the settings of its Connection Details. */
export interface Store {
  client: PrometheusClient;
  nanInterpretation: 'ZERO' | 'NONE';
  /** The per-request bounds of this deployment. */
  bounds: StoreBounds;
  /** Where this request may read and keep closed buckets; undefined when caching is off. */
  cache: CacheScope | undefined;
}

export interface StoreBounds {
  /** How far back the store can hold data. */
  retentionMs: number;
  /** Static cost estimate (samples per series) past which a query is refused unsent. */
  maxQuerySamples: number;
}

let networkTransport: Transport = httpTransport;

/** For tests that need to see or fault the network: returns the previous transport. */
export function setNetworkTransport(next: Transport): Transport {
  const previous = networkTransport;
  networkTransport = next;
  return previous;
}

/**
 * Checks the Connection Details against this deployment's allow-lists BEFORE any network
 * call, then builds the client: SigV4 through the caller's role for AMP (an `aws` object),
 * plain HTTP otherwise; one deadline (the invocation's, narrowed by request_timeout_seconds)
 * gives every request its abort signal, each query its `timeout` and the retries their budget.
 */
export function openStore(details: ConnectionDetails, invocation: Invocation): Store {
  const config = mirrorConfig();
  const target = allowedStore(details, config);
  const url = new URL(target.base);

  const deadline = invocation.deadline.within(
    details.request_timeout_seconds !== undefined ? details.request_timeout_seconds * 1000 : config.defaultTimeoutMs,
  );
  const counted = countingTransport(networkTransport, invocation);
  const maxSamplesProcessed = Math.min(
    config.maxSamplesProcessed,
    details.max_samples_processed_error_threshold ?? Number.POSITIVE_INFINITY,
  );
  const transport = details.aws ? ampTransport(details.aws, url, counted, { deadline }) : withRetries(counted, { deadline });
  return {
    client: new PrometheusClient({
      baseUrl: target,
      transport,
      signal: deadline.signal(),
      deadline,
      ...(details.aws
        ? {
            queryTimeoutCapMs: AMP_QUERY_TIMEOUT_CAP_MS,
            // AMP refuses, and does not bill, a query that would process more samples
            queryParams: [[AMP_QSP_ERROR_THRESHOLD_PARAM, String(Math.floor(maxSamplesProcessed))]],
          }
        : {}),
      maxAnswerBytes: config.maxAnswerBytes,
      maxCalls: config.maxUpstreamCalls,
      onSamplesProcessed: (samples) => {
        invocation.stats.samplesProcessed += samples;
      },
    }),
    nanInterpretation: details.nan_interpretation ?? 'ZERO',
    bounds: { retentionMs: config.retentionMs, maxQuerySamples: config.maxQuerySamples },
    cache: cacheScopeFor(target.base, details, config.cache, invocation.stats),
  };
}

/**
 * The store URL of the Connection Details, read once, strictly (the allow-list compares this
 * normal form and requests are built on it), after checking it and the role against this
 * deployment's allow-lists: the allow-list error otherwise.
 */
export function allowedStore(details: Pick<ConnectionDetails, 'url' | 'aws'>, config: MirrorConfig): StoreUrl {
  const target = parseStoreUrl(details.url);
  checkUrlAllowed(target, config.allowedUrls);
  checkRoleAllowed(details.aws?.role_arn, config.allowedRoles);
  return target;
}

function countingTransport(inner: Transport, invocation: Invocation): Transport {
  return async (request) => {
    const started = Date.now();
    invocation.stats.upstreamCalls++;
    try {
      return await inner(request);
    } finally {
      invocation.stats.upstreamMs += Date.now() - started;
    }
  };
}
