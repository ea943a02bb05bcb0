import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { setNetworkTransport } from '../../lambda/app/store.js';
import { httpTransport } from '../../lambda/upstream/http-transport.js';
import type { Transport } from '../../lambda/upstream/transport.js';
import { HOUR, METRIC, MINUTE, T0 } from '../fixtures/dataset.js';
import { PATH, gauge, metricsRequest } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';

const url = inject('prometheusUrl');
const END = T0 + 3 * HOUR;

/**
 * The real Prometheus behind a double that can make samples "arrive late": from the moment
 * `late` is set, every bucket ending in the last five minutes reads `late` higher. It also
 * records which bucket ends each query_range asked for.
 */
function lateArrivals(): { transport: Transport; setLate(by: number): void; asked: { startMs: number; endMs: number }[] } {
  let late = 0;
  const asked: { startMs: number; endMs: number }[] = [];
  const transport: Transport = async (request) => {
    const { stream: _, ...plain } = request;
    const answer = await httpTransport(plain);
    if (!request.url.pathname.endsWith('/query_range')) return answer;
    const form = new URLSearchParams(request.body);
    asked.push({ startMs: Number(form.get('start')) * 1000, endMs: Number(form.get('end')) * 1000 });
    if (late === 0) return answer;
    const json = JSON.parse(answer.body) as { data: { result: { values: [number, string][] }[] } };
    for (const series of json.data.result) {
      series.values = series.values.map(([t, v]) => [t, t * 1000 > END - 5 * MINUTE ? String(Number(v) + late) : v]);
    }
    return { ...answer, body: JSON.stringify(json) };
  };
  return { transport, setLate: (by) => (late = by), asked };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a sample arriving late inside the freshness window', () => {
  it('is seen by the next poll, while the closed buckets are not asked again', async () => {
    // Prepare: it is 20 s after the window's end; a 2-hour window of 1-minute buckets
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(END + 20_000);
    const double = lateArrivals();
    const previous = setNetworkTransport(double.transport);
    const query = {
      conditions: gauge(METRIC.room, { building: 'north', room: '101' }),
      startTime: END - 2 * HOUR,
      endTime: END,
      aggregation: { method: 'MAX' as const, bucketSizeMillis: MINUTE },
    };
    const ask = (freshness: string) => invokeMirror(PATH.metric, metricsRequest(url, query), { MIRROR_CACHE_FRESHNESS_SECONDS: freshness });
    try {
      const before = await ask('600');

      // Act: samples of the last minutes change (arrive late), then StackState polls again
      double.setLate(100);
      double.asked.length = 0;
      const after = await ask('600');
      const askedAgain = [...double.asked];
      const uncached = await ask('0');

      // Assess
      expect(after.statusCode).toBe(200);
      expect(after.body).toBe(uncached.body);
      const points = (a: typeof before) => a.json.telemetry.points as [number, number, number][];
      const changed = points(after).filter(([v], i) => v !== points(before)[i]?.[0]);
      expect(changed.map(([, , e]) => e)).toEqual([4, 3, 2, 1, 0].map((k) => END - k * MINUTE));
      // only the buckets of the last 10 minutes were asked again
      expect(askedAgain).toEqual([{ startMs: END - 9 * MINUTE, endMs: END }]);
    } finally {
      setNetworkTransport(previous);
    }
  });
});
