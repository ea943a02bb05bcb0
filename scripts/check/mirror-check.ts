/**
 * The smoke test's steps: plays StackState against a mirror (test connection, field names,
 * a metric), checks the X-MIRROR-API-KEY header on each answer, and says per step what is
 * wrong and what to fix. Knows the mirror only by its HTTP API, so it checks any deployment.
 */
import { API_STAGE_NAME, SELECTOR_KEYS } from '../../lambda/contract/index.js';

export interface CheckOptions {
  /** StackState's "Mirror URL": the mirror's base URL (the stack's MirrorUrl output, or http://127.0.0.1:7007). */
  mirrorUrl: string;
  /** The Connection Details JSON, as StackState's data source holds it. */
  details: Record<string, unknown>;
  /** StackState's "Api Key"; without it, the header only has to be there. */
  apiKey?: string | undefined;
  /** A MetricsQuery (conditions; startTime/endTime default to the last hour). */
  query?: Record<string, unknown> | undefined;
  timeoutMs?: number;
  now?: number;
}

export interface StepResult {
  step: string;
  ok: boolean;
  /** One line: what happened, and on failure what to fix. */
  line: string;
  /** Set when the mirror could not be reached at all: later steps are skipped. */
  unreachable?: boolean;
}

const HOUR = 3_600_000;
const MAX_QUOTED = 400;

interface Answer {
  status: number;
  key: string | null;
  json: Record<string, unknown> | undefined;
  ms: number;
}

/** Runs every step in StackState's order; a step after an unreachable mirror is reported as skipped. */
export async function checkMirror(options: CheckOptions): Promise<StepResult[]> {
  const now = options.now ?? Date.now();
  const steps: [string, string, unknown, (json: Record<string, unknown>) => string | undefined][] = [
    ['test connection', 'api/connection', { _type: 'TestConnectionRequest', connectionDetails: options.details }, testConnectionVerdict],
    [
      'field names',
      'api/field/name',
      {
        _type: 'FieldNamesRequest',
        connectionDetails: options.details,
        query: { _type: 'FieldNamesQuery', conditions: [], startTime: now - HOUR, endTime: now, limit: 100 },
      },
      fieldNamesVerdict,
    ],
  ];
  if (options.query) {
    const query = { _type: 'MetricsQuery', startTime: now - HOUR, endTime: now, ...options.query };
    steps.push(['metric', 'api/metric', { _type: 'MetricsRequest', connectionDetails: options.details, query }, metricVerdict]);
  }
  const results: StepResult[] = [];
  let unreachable: string | undefined;
  for (const [step, path, body, verdict] of steps) {
    if (unreachable !== undefined) {
      results.push({ step, ok: false, line: `skipped: ${unreachable}` });
      continue;
    }
    const result = await runStep(options, step, path, body, verdict);
    if (result.unreachable) unreachable = 'the mirror is not reachable';
    results.push(result);
  }
  return results;
}

async function runStep(
  options: CheckOptions,
  step: string,
  path: string,
  body: unknown,
  verdict: (json: Record<string, unknown>) => string | undefined,
): Promise<StepResult> {
  const url = joinMirrorUrl(options.mirrorUrl, path);
  let answer: Answer;
  try {
    answer = await post(url, body, options.timeoutMs ?? 30_000);
  } catch (error) {
    return { step, ok: false, unreachable: true, line: unreachableText(url, error) };
  }
  const took = `${answer.ms} ms`;
  const edge = edgeRefusal(answer);
  if (edge !== undefined) return { step, ok: false, line: `HTTP ${answer.status}: ${edge}` };
  const keyProblem = keyHeaderProblem(answer, options.apiKey);
  const json = answer.json ?? {};
  if (answer.status !== 200) {
    const error = errorText(json);
    return {
      step,
      ok: false,
      line: `HTTP ${answer.status} ${String(json._type ?? 'answer')}: ${error}${keyProblem ? ` Also: ${keyProblem}` : ''}`,
    };
  }
  const wrong = verdict(json);
  if (wrong !== undefined) return { step, ok: false, line: `${wrong}${keyProblem ? ` Also: ${keyProblem}` : ''}` };
  if (keyProblem !== undefined) return { step, ok: false, line: keyProblem };
  return { step, ok: true, line: `${describeSuccess(json)} (${took}, ${options.apiKey ? 'key header matches' : 'key header present'})` };
}

/** StackState joins the Mirror URL with `api/...`. */
export function joinMirrorUrl(mirrorUrl: string, path: string): string {
  return `${mirrorUrl.replace(/\/+$/, '')}/${path}`;
}

async function post(url: string, body: unknown, timeoutMs: number): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, key: response.headers.get('x-mirror-api-key'), json, ms: Date.now() - started };
}

function unreachableText(url: string, error: unknown): string {
  const code = causeCode(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return `no answer from ${url} in time: is the Mirror URL right, and does the API answer?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `the mirror's host name in ${url} does not resolve: check the Mirror URL (the stack's MirrorUrl output).`;
  if (code === 'ECONNREFUSED')
    return `nothing listens at ${url} (ECONNREFUSED): is the mirror running (npm start), and is the Mirror URL's port right?`;
  return `cannot reach the mirror at ${url}${code ? ` (${code})` : ''}.`;
}

/**
 * Refusals by API Gateway in front of the function, recognisable by their bodies: the caller's
 * address outside the resource policy, or a path the API does not have.
 */
function edgeRefusal(answer: Answer): string | undefined {
  const message = String(answer.json?.message ?? answer.json?.Message ?? '');
  if (answer.status === 403 && /not authorized to perform: execute-api:Invoke/i.test(message)) {
    return "API Gateway refused this machine's address (the API's resource policy): add its public address to the tenant's allowedSourceCidrs and redeploy.";
  }
  if (answer.status === 403 && /Missing Authentication Token/i.test(message)) {
    return `API Gateway has no such path: check the Mirror URL (the stack output MirrorUrl, with its stage, e.g. …/${API_STAGE_NAME}/).`;
  }
  if (answer.json === undefined || typeof answer.json._type !== 'string') {
    return `the answer is not a Mirror API answer (${answer.json === undefined ? 'not JSON' : 'no _type'}): is the Mirror URL the mirror's address?`;
  }
  return undefined;
}

function keyHeaderProblem(answer: Answer, apiKey: string | undefined): string | undefined {
  if (answer.status === 401) return undefined; // a refused caller never gets the key, by design
  if (answer.key === null || answer.key === '') {
    return 'the answer has no X-MIRROR-API-KEY header: StackState would not accept it.';
  }
  if (apiKey !== undefined && answer.key !== apiKey) {
    return "the X-MIRROR-API-KEY header differs from --api-key: StackState's Api Key must be the mirror's key (locally printed by npm start; deployed: the stack's API key secret).";
  }
  return undefined;
}

function errorText(json: Record<string, unknown>): string {
  const parts = [json.summary, json.details].filter((p): p is string => typeof p === 'string' && p !== '');
  const text = parts.join(': ') || JSON.stringify(json);
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

function testConnectionVerdict(json: Record<string, unknown>): string | undefined {
  if (json._type !== 'TestConnectionResponse') return `expected a TestConnectionResponse, got ${String(json._type)}.`;
  if (json.status === 'OK') return undefined;
  const error = (json.error ?? {}) as Record<string, unknown>;
  return `FAILURE: ${errorText(error)}`;
}

function fieldNamesVerdict(json: Record<string, unknown>): string | undefined {
  if (json._type !== 'FieldNamesResponse' || !Array.isArray(json.fields))
    return `expected a FieldNamesResponse, got ${String(json._type)}.`;
  const names = json.fields.map((f) => (f as { fieldName?: unknown }).fieldName);
  if (!names.includes('__gauge__')) return 'the field names lack __gauge__ / __counter__ / ~: is this the mirror?';
  return undefined;
}

function metricVerdict(json: Record<string, unknown>): string | undefined {
  const telemetry = json.telemetry as { points?: unknown } | undefined;
  if (json._type !== 'MetricsResponse' || !Array.isArray(telemetry?.points))
    return `expected a MetricsResponse, got ${String(json._type)}.`;
  return undefined;
}

function describeSuccess(json: Record<string, unknown>): string {
  if (json._type === 'TestConnectionResponse') return 'OK';
  if (json._type === 'FieldNamesResponse') {
    const fields = json.fields as { fieldName: string }[];
    const labels = fields.map((f) => f.fieldName).filter((n) => !(SELECTOR_KEYS as readonly string[]).includes(n));
    const shown = labels.slice(0, 6).join(', ');
    return `${plural(labels.length, 'label name')}${labels.length ? `: ${shown}${labels.length > 6 ? ', …' : ''}` : ' (no series in the last hour)'}`;
  }
  const telemetry = json.telemetry as { _type: string; points: unknown[]; isPartial?: boolean };
  return `${plural(telemetry.points.length, 'point')} (${telemetry._type}${telemetry.isPartial ? ', partial' : ''})`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function causeCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
