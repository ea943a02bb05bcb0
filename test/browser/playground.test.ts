import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { HOUR, METRIC, T0 } from '../fixtures/dataset.js';
import { launchChromium, type RunningBrowser, type RunningMirror, startMirror } from './browser.js';

/**
 * The playground in a real browser (Debian's Chromium through playwright-core), served by
 * `npm start`'s server, against the test Prometheus.
 */
let mirror: RunningMirror;
let chromium: RunningBrowser;
let page: Page;
let consoleErrors: string[];
let prometheusUrl: string;

beforeAll(async () => {
  prometheusUrl = inject('prometheusUrl');
  mirror = await startMirror();
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await mirror?.stop();
});

async function open(path: string): Promise<Page> {
  page = await chromium.context.newPage();
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${mirror.url}${path}`);
  return page;
}

afterEach(async () => {
  await page?.close();
});

async function apiMetric(query: unknown): Promise<any> {
  const response = await fetch(`${mirror.url}/api/metric`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _type: 'MetricsRequest', connectionDetails: { url: prometheusUrl }, query }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function chartPoints(p: Page): Promise<number> {
  await p.waitForFunction(() => Number(document.querySelector('[data-testid="stream-chart"]')?.getAttribute('data-points')) > 0);
  return Number(await p.getByTestId('stream-chart').getAttribute('data-points'));
}

/** Fills the time range with the dense era of the test data. */
async function denseEra(p: Page): Promise<void> {
  await p.selectOption('#range', 'custom');
  await p.fill('#from', new Date(T0).toISOString());
  await p.fill('#to', new Date(T0 + 2 * HOUR).toISOString());
}

function sharedQuery(link: string): unknown {
  return JSON.parse(new URL(link).searchParams.get('query') ?? 'null');
}

describe('the playground', () => {
  it('loads with no console error and is served with uPlot from node_modules', async () => {
    const p = await open('/');
    expect(await p.locator('h1').textContent()).toBe('StackState mirror playground');
    expect(
      await p.evaluate(() => [...document.styleSheets].some((s) => s.href?.endsWith('/playground/uplot.css') && s.cssRules.length > 0)),
    ).toBe(true);
    expect(await p.getByTestId('stream-chart').getAttribute('data-points')).toBe('0');
    expect(consoleErrors).toEqual([]);
  });

  it('autocompletes a metric name and label values through the mirror, and draws as many points as the API answers', async () => {
    const p = await open(`/?url=${encodeURIComponent(prometheusUrl)}`);
    await denseEra(p);
    await p.click('#metric');
    await p.keyboard.type('room_t');
    const option = p.locator('#metric-suggestions [role=option]', { hasText: METRIC.room });
    await option.waitFor();
    await option.click();
    expect(await p.inputValue('#metric')).toBe(METRIC.room);

    for (const [name, value] of [
      ['building', 'north'],
      ['room', '101'],
    ] as const) {
      await p.click('#label-name');
      await p.keyboard.type(name.slice(0, 3));
      await p.locator('#label-name-suggestions [role=option]', { hasText: new RegExp(`^${name}$`) }).click();
      await p.click('#label-value');
      await p.locator('#label-value-suggestions [role=option]', { hasText: new RegExp(`^${value}$`) }).click();
      await p.click('#add-condition');
    }
    expect(await p.locator('#chips .chip').allTextContents()).toEqual(['building = north×', 'room = 101×']);

    await p.click('#draw');
    const drawn = await chartPoints(p);
    const query = sharedQuery(await p.inputValue('#share'));
    const direct = await apiMetric(query);
    expect(direct.telemetry._type).toBe('RawMetricTelemetry');
    expect(drawn).toBe(direct.telemetry.points.length);
    expect(drawn).toBeGreaterThan(100);
    expect(await p.getByTestId('promql').textContent()).toContain(`${METRIC.room}{`);
    expect(JSON.parse((await p.getByTestId('answer-json').textContent()) ?? '')).toEqual(direct);
    expect(consoleErrors).toEqual([]);
  });

  it('draws aggregated buckets, and a shared link renders the same chart', async () => {
    const query = {
      _type: 'MetricsQuery',
      conditions: [
        { _type: 'EqualityCondition', key: '__counter__', value: { _type: 'StringValue', value: METRIC.requests } },
        { _type: 'EqualityCondition', key: 'method', value: { _type: 'StringValue', value: 'GET' } },
      ],
      startTime: T0,
      endTime: T0 + 3 * HOUR,
      aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: 5 * 60_000 },
    };
    const link = `/?url=${encodeURIComponent(prometheusUrl)}&query=${encodeURIComponent(JSON.stringify(query))}`;
    const p = await open(link);
    const drawn = await chartPoints(p);
    const direct = await apiMetric(query);
    expect(direct.telemetry._type).toBe('AggregatedMetricTelemetry');
    expect(drawn).toBe(direct.telemetry.points.length);
    expect(await p.inputValue('#metric')).toBe(METRIC.requests);
    expect(await p.inputValue('#method')).toBe('MEAN');
    const answer = await p.getByTestId('answer-json').textContent();
    const shared = await p.inputValue('#share');
    expect(sharedQuery(shared)).toEqual(query);
    await p.close();

    const again = await open(new URL(shared).pathname + new URL(shared).search);
    expect(await chartPoints(again)).toBe(drawn);
    expect(await again.getByTestId('answer-json').textContent()).toBe(answer);
    expect(consoleErrors).toEqual([]);
  });

  it('shows a PromQL syntax error as StackState would receive it', async () => {
    const p = await open(`/?url=${encodeURIComponent(prometheusUrl)}`);
    await p.selectOption('#selector-key', '~');
    await p.fill('#expression', `rate(${METRIC.requests}[5m]`);
    await p.click('#draw');
    const error = p.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/StackState gets HTTP 400/);
    expect(await error.textContent()).toMatch(/syntax|parse|unexpected|expected/i);
    expect(await p.getByTestId('stream-chart').getAttribute('data-points')).toBe('0');
    expect(await p.getByTestId('promql').textContent()).toMatch(/no PromQL sent/);
    // the browser logs nothing: the error is the mirror's answer, shown on the page
    expect(consoleErrors).toEqual([]);
  });
});

describe('the debug channel', () => {
  it('traces the upstream calls of a playground call, and an api/* answer carries no trace', async () => {
    const query = {
      _type: 'MetricsQuery',
      conditions: [{ _type: 'EqualityCondition', key: '__gauge__', value: { _type: 'StringValue', value: METRIC.probe } }],
      startTime: T0,
      endTime: T0 + HOUR,
    };
    const request = { _type: 'MetricsRequest', connectionDetails: { url: prometheusUrl }, query };
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ path: 'api/metric', request });
    const traced = await (await fetch(`${mirror.url}/playground/call`, { method: 'POST', headers: json, body })).json();
    expect(traced.status).toBe(200);
    expect(traced.upstream.length).toBeGreaterThan(0);
    expect(traced.upstream.some((c: any) => c.params.some(([n, v]: [string, string]) => n === 'query' && v.includes(METRIC.probe)))).toBe(
      true,
    );
    expect(traced.headers['x-mirror-api-key']).not.toContain('browser-test-key');

    const plain = await fetch(`${mirror.url}/api/metric`, { method: 'POST', body: JSON.stringify(request) });
    const text = await plain.text();
    expect(JSON.parse(text)).toEqual(JSON.parse(traced.body));
    expect(Object.keys(JSON.parse(text))).toEqual(['_type', 'telemetry']);
    expect(text).not.toMatch(/upstream|query_range|api\/v1/);
    expect([...plain.headers.keys()].filter((name) => /trace|upstream|playground/i.test(name))).toEqual([]);
  });

  it('refuses a call from another origin or without a JSON content type', async () => {
    const body = JSON.stringify({
      path: 'api/connection',
      request: { _type: 'TestConnectionRequest', connectionDetails: { url: prometheusUrl } },
    });
    const plainText = await fetch(`${mirror.url}/playground/call`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(plainText.status).toBe(403);
    const foreign = await fetch(`${mirror.url}/playground/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body,
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toMatch(/own origin/);
  });
});
