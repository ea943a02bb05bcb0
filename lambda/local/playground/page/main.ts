/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { type CallAnswer, type Condition, type ConnectionDetails, field, type MetricsQuery, mirrorCall } from './api.js';
import { clearChart, drawChart, fitChart, type Telemetry } from './chart.js';
import { combobox } from './combobox.js';
import {
  condition,
  curlOf,
  fromQuery,
  isoOf,
  METHODS,
  msOf,
  SELECTORS,
  type Selector,
  type Stream,
  shareLink,
  toDetails,
  toQuery,
} from './stream.js';
import { byId, hideError, showChips, showError, showExchange, showHappened, showPaste, setupTabs } from './view.js';

/**
 * The playground page: builds a stream as StackState would, asks the mirror through
 * /playground/call, and shows the chart, what happened upstream, and what to paste into
 * StackState. Nothing is kept in the browser: the store URL and the stream live in the link.
 */
const input = (id: string) => byId<HTMLInputElement>(id);
const select = (id: string) => byId<HTMLSelectElement>(id);
const chart = byId('chart');
let labels: Condition[] = [];
let lastCall: { path: string; request: unknown } | undefined;

function details() {
  return toDetails({
    url: input('url').value.trim(),
    roleArn: input('role-arn').value.trim(),
    externalId: input('external-id').value,
    region: input('region').value.trim(),
    mirrorToken: input('mirror-token').value,
  });
}

function timeRange(): { startTime: number; endTime: number } {
  const range = select('range').value;
  if (range !== 'custom') {
    const endTime = Date.now();
    return { startTime: endTime - Number(range), endTime };
  }
  const startTime = msOf(input('from').value);
  const endTime = msOf(input('to').value);
  if (startTime === undefined || endTime === undefined) throw new Error('Give from and to as UTC times, e.g. 2026-01-01T00:00:00Z.');
  return { startTime, endTime };
}

function selector(): Selector {
  return select('selector-key').value as Selector;
}

function stream(): Stream {
  const metric = selector() === '~' ? byId<HTMLTextAreaElement>('expression').value.trim() : input('metric').value.trim();
  if (!metric) throw new Error(selector() === '~' ? 'Write a PromQL expression.' : 'Choose a metric name.');
  const bucketSeconds = Number(input('bucket').value);
  return {
    selector: selector(),
    metric,
    labels,
    ...timeRange(),
    method: select('method').value,
    bucketSizeMillis: Math.round(bucketSeconds * 1000),
  };
}

function fill(s: Stream): void {
  select('selector-key').value = s.selector;
  (s.selector === '~' ? byId<HTMLTextAreaElement>('expression') : input('metric')).value = s.metric;
  labels = s.labels;
  select('range').value = 'custom';
  input('from').value = isoOf(s.startTime);
  input('to').value = isoOf(s.endTime);
  select('method').value = s.method;
  input('bucket').value = String(s.bucketSizeMillis / 1000);
  refreshForm();
}

function refreshForm(): void {
  const expression = selector() === '~';
  byId('metric-box').hidden = expression;
  byId('expression').hidden = !expression;
  byId('custom-range').hidden = select('range').value !== 'custom';
  input('bucket').disabled = select('method').value === '';
  showChips(labels, (index) => {
    labels = labels.filter((_, i) => i !== index);
    refreshForm();
  });
}

/** The conditions an autocomplete narrows by: the metric chosen so far and the chips. */
function narrowing(): Condition[] {
  const metric = input('metric').value.trim();
  return selector() !== '~' && metric ? [condition(selector(), { _type: 'StringValue', value: metric }), ...labels] : [...labels];
}

function fieldRange(): { startTime?: number; endTime?: number } {
  try {
    return timeRange();
  } catch {
    return {};
  }
}

async function values(fieldName: string, prefix: string, conditions: Condition[]): Promise<string[]> {
  if (!input('url').value.trim()) return [];
  const query = { _type: 'FieldValuesQuery', field: field(fieldName), conditions, ...fieldRange(), limit: 50, fieldValuePrefix: prefix };
  const answer = await mirrorCall('api/field/value', { _type: 'FieldValuesRequest', connectionDetails: details(), query });
  return answer.status === 200 ? (answer.json?.values ?? []).map((v: { value: string }) => v.value) : [];
}

async function names(prefix: string): Promise<string[]> {
  if (!input('url').value.trim()) return [];
  const query = { _type: 'FieldNamesQuery', conditions: narrowing(), ...fieldRange(), limit: 500 };
  const answer = await mirrorCall('api/field/name', { _type: 'FieldNamesRequest', connectionDetails: details(), query });
  if (answer.status !== 200) return [];
  return (answer.json?.fields ?? [])
    .map((f: { fieldName: string }) => f.fieldName)
    .filter((name: string) => !(SELECTORS as readonly string[]).includes(name) && name.startsWith(prefix))
    .slice(0, 50);
}

function addCondition(): void {
  const key = input('label-name').value.trim();
  const value = input('label-value').value;
  if (!key) return;
  labels = [...labels.filter((c) => c.key !== key), condition(key, { _type: 'StringValue', value })];
  input('label-name').value = '';
  input('label-value').value = '';
  refreshForm();
}

async function draw(): Promise<void> {
  hideError();
  let request: { _type: 'MetricsRequest'; connectionDetails: ConnectionDetails; query: MetricsQuery };
  let s: Stream;
  try {
    s = stream();
    if (!input('url').value.trim()) throw new Error('Give the store URL.');
    request = { _type: 'MetricsRequest', connectionDetails: details(), query: toQuery(s) };
  } catch (error) {
    showError(undefined, (error as Error).message);
    return;
  }
  const link = shareLink(location.origin, input('url').value.trim(), request.query);
  history.replaceState(null, '', link);
  showPaste(request.connectionDetails, request.query.conditions, link);
  byId('chart-title').textContent = s.metric;
  byId('chart-info').textContent = 'asking the mirror…';
  let answer: CallAnswer;
  try {
    answer = await mirrorCall('api/metric', request);
  } catch (error) {
    byId('chart-info').textContent = '';
    showError(undefined, (error as Error).message);
    return;
  }
  lastCall = { path: 'api/metric', request };
  showExchange(request, answer);
  showHappened(answer);
  const telemetry = answer.json?.telemetry as Telemetry | undefined;
  if (answer.status !== 200 || !telemetry) {
    clearChart(chart);
    byId('chart-info').textContent = '';
    showError(answer);
    return;
  }
  drawChart(chart, telemetry, s.selector === '~' ? 'expression' : s.metric);
  const kind = telemetry._type === 'AggregatedMetricTelemetry' ? `${request.query.aggregation?.method} buckets` : 'raw points';
  byId('chart-info').textContent =
    `${telemetry.points.length} ${kind}${telemetry.isPartial ? ' · partial (truncated)' : ''} · ${answer.ms} ms`;
}

async function testConnection(): Promise<void> {
  const status = byId('connection-status');
  status.className = '';
  status.textContent = 'testing…';
  const request = { _type: 'TestConnectionRequest', connectionDetails: details() };
  try {
    const answer = await mirrorCall('api/connection', request);
    lastCall = { path: 'api/connection', request };
    showExchange(request, answer);
    showHappened(answer);
    const ok = answer.json?.status === 'OK';
    status.className = ok ? 'ok' : 'bad';
    status.textContent = ok ? 'OK' : String(answer.json?.error?.details ?? answer.json?.details ?? `HTTP ${answer.status}`);
  } catch (error) {
    status.className = 'bad';
    status.textContent = (error as Error).message;
  }
}

function setup(): void {
  for (const method of METHODS) select('method').append(new Option(method, method));
  setupTabs();
  combobox(input('metric'), (text) => (selector() === '~' ? Promise.resolve([]) : values(selector(), text, [])));
  combobox(input('label-name'), (text) => names(text));
  combobox(input('label-value'), (text) => {
    const name = input('label-name').value.trim();
    return name
      ? values(
          name,
          text,
          narrowing().filter((c) => c.key !== name),
        )
      : Promise.resolve([]);
  });
  for (const id of ['selector-key', 'range', 'method']) select(id).addEventListener('change', refreshForm);
  byId('add-condition').addEventListener('click', addCondition);
  input('label-value').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && input('label-value').getAttribute('aria-expanded') !== 'true') {
      event.preventDefault();
      addCondition();
    }
  });
  byId('builder').addEventListener('submit', (event) => {
    event.preventDefault();
    void draw();
  });
  byId('test-connection').addEventListener('click', () => void testConnection());
  byId('copy-curl').addEventListener('click', () => {
    if (lastCall) void copy(byId('copy-curl'), curlOf(location.origin, lastCall.path, lastCall.request));
  });
  byId('copy-link').addEventListener('click', () => void copy(byId('copy-link'), input('share').value));
  window.addEventListener('resize', () => fitChart(chart));

  const params = new URLSearchParams(location.search);
  input('url').value = params.get('url') ?? '';
  const shared = params.get('query');
  refreshForm();
  if (shared !== null) {
    try {
      fill(fromQuery(JSON.parse(shared)));
    } catch (error) {
      showError(undefined, `The link's query cannot be read: ${(error as Error).message}`);
      return;
    }
    void draw();
  }
}

async function copy(button: HTMLElement, text: string): Promise<void> {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'copied';
  } catch {
    button.textContent = 'copy failed: select the text';
  }
  setTimeout(() => (button.textContent = label), 1500);
}

setup();
