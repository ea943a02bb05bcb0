import { CallerUnauthorizedError, MetricStoreConnectionError, MirrorError, RemoteMirrorError } from '../errors.js';
import { type ConnectionDetails, connectionDetailsSchema } from '../protocol/connection-details.js';
import { parseRequest } from '../protocol/validation.js';
import type { TestConnectionResponse } from '../protocol/responses.js';
import { checkUrlAllowed } from '../security/allowlist.js';
import { httpTransport } from '../upstream/http-transport.js';
import type { PrometheusClient } from '../upstream/prometheus-client.js';
import { URL_PROBE_BYTES } from '../upstream/upstream-limits.js';
import { mirrorConfig } from './config.js';
import type { Invocation } from './invocation.js';
import { openStore } from './store.js';
import { explainUrlFailure, type UrlProbe } from './url-diagnosis.js';
import * as z from 'zod/mini';

/** The request as routed: its Connection Details are checked by the test itself, to answer FAILURE. */
export const testConnectionEnvelopeSchema = z.object({ _type: z.literal('TestConnectionRequest'), connectionDetails: z.unknown() });

/** A series selector that matches nothing: proves the series API answers without reading data. */
const NOTHING = '{__name__="stackstate_mirror_connection_probe"}';

/**
 * Test connection: walks the calls the mirror will make — query, labels, series, metadata —
 * and answers FAILURE naming the first step that failed and what to fix. A request that is
 * not a test connection at all is a 400; everything about the connection itself is a FAILURE.
 */
export async function testConnection(
  request: z.output<typeof testConnectionEnvelopeSchema>,
  invocation: Invocation,
): Promise<TestConnectionResponse> {
  let details: ConnectionDetails | undefined;
  try {
    details = parseRequest(connectionDetailsSchema, parseDetails(request.connectionDetails), 'Connection Details');
    const { client } = openStore(details, invocation);
    await step('run a query', 'aps:QueryMetrics', async () => {
      const result = await client.query('1', Date.now());
      if (result.resultType !== 'scalar' || result.value[1] !== 1) {
        throw new MetricStoreConnectionError(
          'not-prometheus',
          `${client.base.origin} did not evaluate the PromQL query "1" to 1: is the url a Prometheus (or AMP workspace) URL?`,
        );
      }
    });
    const now = Date.now();
    await step('list label names', 'aps:GetLabels', () => client.labelNames([], { startMs: now - 300_000, endMs: now }));
    await step('list series', 'aps:GetSeries', () => client.series([NOTHING], { startMs: now - 60_000, endMs: now }));
    await step('read metric metadata', 'aps:GetMetricMetadata', () => metadataProbe(client));
    return { _type: 'TestConnectionResponse', status: 'OK' };
  } catch (error) {
    if (error instanceof CallerUnauthorizedError || !(error instanceof MirrorError)) throw error;
    const explained =
      error instanceof MetricStoreConnectionError && details !== undefined
        ? await explainUrlFailure(error, details.url, details.aws ? undefined : classifyingProbe(invocation))
        : error;
    return {
      _type: 'TestConnectionResponse',
      status: 'FAILURE',
      error: { _type: 'MetricStoreConnectionError', details: failureText(explained) },
    };
  }
}

async function step(what: string, action: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof MetricStoreConnectionError && error.failure === 'permission') {
      throw new MetricStoreConnectionError(
        'permission',
        `The mirror could not ${what}: ${action} was refused (HTTP 403). ${error.details}`,
      );
    }
    throw error;
  }
}

async function metadataProbe(client: PrometheusClient): Promise<void> {
  await client.metadata({ limit: 1 });
}

const PROBE_TIMEOUT_MS = 3_000;

/**
 * A plain GET of an allowed URL, only to see what answers there (an HTML page, Grafana) after
 * the store calls failed; a URL outside the allow-list is not fetched. Only the head of the page
 * is read (URL_PROBE_BYTES, whatever the status): a page may be endless.
 */
function classifyingProbe(invocation: Invocation): UrlProbe {
  return async (url) => {
    try {
      checkUrlAllowed(url.toString(), mirrorConfig().allowedUrls);
    } catch {
      return undefined;
    }
    const probeDeadline = invocation.deadline.within(PROBE_TIMEOUT_MS);
    if (probeDeadline.leftMs() <= 0) return undefined;
    invocation.stats.upstreamCalls++;
    return httpTransport({
      method: 'GET',
      url,
      headers: { accept: 'text/html, application/json' },
      signal: probeDeadline.signal(),
      headBytes: URL_PROBE_BYTES,
    });
  };
}

function parseDetails(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new RemoteMirrorError('Invalid Connection Details', 'The Connection Details are not valid JSON.');
  }
}

function failureText(error: MirrorError): string {
  if (error instanceof RemoteMirrorError) return `${error.summary}: ${error.details}`;
  if (error instanceof MetricStoreConnectionError) return error.details;
  return error.message;
}
