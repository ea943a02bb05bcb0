import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { HOUR, METRIC, T0 } from '../fixtures/dataset.js';
import { launchChromium, type RunningBrowser, type RunningMirror, startMirror } from './browser.js';

/**
 * `PLAYGROUND_SCREENSHOT=1 npx vitest run --project browser test/browser/screenshot.test.ts`
 * redraws docs/playground.png: the playground with a real chart of the test data, taken with
 * the same Chromium setup as the browser tests. Skipped otherwise.
 */
const enabled = process.env.PLAYGROUND_SCREENSHOT === '1';
let mirror: RunningMirror;
let chromium: RunningBrowser;

beforeAll(async () => {
  if (!enabled) return;
  mirror = await startMirror();
  chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
  await chromium?.close();
  await mirror?.stop();
});

it.runIf(enabled)('takes docs/playground.png', async () => {
  const str = (key: string, value: string) => ({ _type: 'EqualityCondition', key, value: { _type: 'StringValue', value } });
  const query = {
    _type: 'MetricsQuery',
    conditions: [str('__gauge__', METRIC.room), str('building', 'north'), str('room', '101')],
    startTime: T0,
    endTime: T0 + 2 * HOUR,
    aggregation: { _type: 'Aggregation', method: 'MEAN', bucketSizeMillis: 5 * 60_000 },
  };
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(`${mirror.url}/?url=${encodeURIComponent(inject('prometheusUrl'))}&query=${encodeURIComponent(JSON.stringify(query))}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="stream-chart"]')?.getAttribute('data-points')) > 0);
  await page.screenshot({ path: join(import.meta.dirname, '../../docs/playground.png') });
  expect(Number(await page.getByTestId('stream-chart').getAttribute('data-points'))).toBeGreaterThan(0);
});
