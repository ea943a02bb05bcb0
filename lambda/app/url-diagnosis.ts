import { MetricStoreConnectionError, type UpstreamFailure } from '../errors.js';
import type { UpstreamResponse } from '../upstream/transport.js';
import { URL_PROBE_BYTES } from '../upstream/upstream-limits.js';

/**
 * Test connection's second look at a failed store URL: what the user typed, not only the
 * origin the mirror reached. Recognises a Prometheus API path pasted by mistake, a Grafana
 * server, an HTML page, and TLS spoken to a plain-HTTP port (and the reverse). Upstream bodies
 * are read only to classify them, never quoted.
 */

/** Fetches one URL for classification (GET, no credentials); undefined when it may not or could not. */
export type UrlProbe = (url: URL) => Promise<UpstreamResponse | undefined>;

const MAX_SHOWN = 200;
/** Failures where the store answered over HTTP, so that what answered is worth a look. */
const ANSWERED: ReadonlySet<UpstreamFailure> = new Set(['not-found', 'not-prometheus', 'unauthorized', 'bad-query', 'server']);
const API_PATH = /^(.*?)(\/api\/v1\/[\s\S]*)$/;
const GRAFANA_PATH = /^(.*?)\/api\/(datasources\/proxy|ds\/query|datasources\/uid)(\/|$)/;

/**
 * A more telling error for `error`, or `error` itself when there is nothing to add.
 *
 * @param typedUrl - `connectionDetails.url` as the user typed it.
 * @param probe - Only for stores without SigV4 (an AMP workspace is neither Grafana nor HTML).
 */
export async function explainUrlFailure(
  error: MetricStoreConnectionError,
  typedUrl: string,
  probe: UrlProbe | undefined,
): Promise<MetricStoreConnectionError> {
  let typed: URL;
  try {
    typed = new URL(typedUrl);
  } catch {
    return error;
  }
  typed.username = '';
  typed.password = '';
  typed.search = '';
  typed.hash = '';
  const shown = show(typed);
  const again = (details: string) => new MetricStoreConnectionError(error.failure, details, error.status, { cause: error });

  if (error.failure === 'network') {
    const code = errorCode(error) ?? '';
    if (typed.protocol === 'https:' && /CERT/i.test(code)) {
      return again(
        `The TLS handshake with ${shown} failed (${code}): the mirror does not trust the store's certificate (self-signed or from a private certificate authority). Give the store a publicly trusted certificate, or put it behind one.`,
      );
    }
    if (typed.protocol === 'https:' && /SSL|TLS|EPROTO/i.test(`${code} ${error.details}`)) {
      return again(
        `The TLS handshake with ${shown} failed (${code || 'TLS error'}). If the store serves plain HTTP on this port, use ${show(withScheme(typed, 'http:'))}.`,
      );
    }
    if (typed.protocol === 'http:' && /ECONNRESET|UND_ERR_SOCKET|EPIPE|other side closed/i.test(`${code} ${String(error.cause)}`)) {
      return again(
        `${error.details} The store closed the connection: if it serves HTTPS on this port, use ${show(withScheme(typed, 'https:'))}.`,
      );
    }
    return error;
  }
  if (!ANSWERED.has(error.failure)) return error;

  const grafanaPath = GRAFANA_PATH.exec(typed.pathname);
  if (grafanaPath) return again(grafanaText(shown, 'its path is a Grafana data source API'));
  const apiPath = API_PATH.exec(typed.pathname);
  if (apiPath) {
    const base = new URL(typed);
    base.pathname = apiPath[1] || '/';
    return again(
      `The url ${shown} ends in a Prometheus API path (${cut(apiPath[2] ?? '', 60)}): the mirror adds the /api/v1/… paths itself, so the store was asked for ${cut(apiPath[2] ?? '', 60)}/api/v1/query and refused. Use ${show(base)} as the url.`,
    );
  }
  const looked = probe ? await lookAt(typed, probe) : undefined;
  if (looked === 'grafana') return again(grafanaText(shown, 'it answers like Grafana'));
  if (looked === 'https') {
    return again(`${shown} answered that it speaks HTTPS on this port: use ${show(withScheme(typed, 'https:'))}.`);
  }
  if (looked === 'html') {
    return again(
      `${shown} answers with an HTML page (a web UI, a login page or a proxy), not the Prometheus HTTP API. Use the address Prometheus' API answers at (e.g. http://host:9090, without /graph) or the AMP workspace URL.`,
    );
  }
  if (typed.pathname !== '/' && error.details.includes(typed.origin)) {
    return again(`${error.details.replaceAll(typed.origin, shown)} (the mirror asked ${shown}/api/v1/…)`);
  }
  return error;
}

function grafanaText(shown: string, why: string): string {
  return `${shown} is a Grafana server (${why}), not a Prometheus. The mirror needs the store Grafana reads from: the "Prometheus server URL" of Grafana's Prometheus data source, or the AMP workspace URL (https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace id>) with an "aws" object.`;
}

/** What answers at the typed URL: Grafana (its health API or page title), an HTTPS-only port, an HTML page. */
async function lookAt(typed: URL, probe: UrlProbe): Promise<'grafana' | 'https' | 'html' | undefined> {
  const page = await probe(typed).catch(() => undefined);
  const health = await probe(new URL('/api/health', typed.origin)).catch(() => undefined);
  if (health && health.status === 200 && isGrafanaHealth(health.body)) return 'grafana';
  if (!page) return undefined;
  const head = page.body.slice(0, URL_PROBE_BYTES);
  if (page.status === 400 && /HTTP request to an HTTPS server/i.test(head)) return 'https';
  const html = /text\/html/i.test(page.headers['content-type'] ?? '') || /^\s*(<!doctype html|<html)/i.test(head);
  if (html && /<title>[^<]*grafana[^<]*<\/title>|grafanaBootData/i.test(head)) return 'grafana';
  return html ? 'html' : undefined;
}

/** Grafana's /api/health: `{"database":"ok","version":"…"}` (plus `commit`), answered without login. */
function isGrafanaHealth(body: string): boolean {
  try {
    const value = JSON.parse(body.slice(0, URL_PROBE_BYTES)) as Record<string, unknown>;
    return typeof value?.database === 'string' && typeof value?.version === 'string';
  } catch {
    return false;
  }
}

function withScheme(url: URL, scheme: 'http:' | 'https:'): URL {
  return new URL(`${scheme}//${url.host}${url.pathname}`);
}

/** The URL as the user wrote it, quoted, without a trailing slash, user info, query or fragment. */
function show(url: URL): string {
  return JSON.stringify(cut(url.href.replace(/\/$/, ''), MAX_SHOWN));
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
