import { describe, expect, inject, it } from 'vitest';
import { DATASET, FACTS, HOUR, METRIC, MINUTE, SECOND, T0, seriesOf } from '../fixtures/dataset.js';
import { PATH, counter, gauge, metricsRequest, type MetricsQueryInput } from '../fixtures/mirror-requests.js';
import { invokeMirror } from '../support/invoke.js';
import type { NanInterpretation } from '../support/reference/aggregate.js';
import { expectRaw } from '../support/reference/compare.js';
import { expectedRaw } from '../support/reference/metrics.js';

const url = inject('prometheusUrl');

async function ask(query: MetricsQueryInput, nan?: NanInterpretation) {
  return invokeMirror(PATH.metric, metricsRequest(url, query, nan ? { nan_interpretation: nan } : {}));
}

describe('raw gauges', () => {
  const room = gauge(METRIC.room, { building: 'north', room: '102' });
  const probe = gauge(METRIC.probe, { probe: 'edge' });

  it('returns the stored samples of an unaligned range, timestamps and values as stored', async () => {
    // Prepare
    const query = { conditions: room, startTime: T0 + 7 * MINUTE + 13_250, endTime: T0 + 31 * MINUTE };
    const expected = expectedRaw(DATASET, query);

    // Act
    const answer = await ask(query);

    // Assess
    expect(expected.points.length).toBe(95);
    expectRaw(answer, expected);
  });

  it('includes a sample exactly at startTime and excludes one exactly at endTime', async () => {
    // Prepare: samples every 15 s, so both ends sit on a sample
    const query = { conditions: room, startTime: T0 + HOUR, endTime: T0 + HOUR + MINUTE };

    // Act
    const answer = await ask(query);

    // Assess
    expectRaw(answer, expectedRaw(DATASET, query));
    expect((answer.json?.telemetry?.points as number[][] | undefined)?.map(([, t]) => t)).toEqual([
      T0 + HOUR,
      T0 + HOUR + 15 * SECOND,
      T0 + HOUR + 30 * SECOND,
      T0 + HOUR + 45 * SECOND,
    ]);
  });

  it.each(['ZERO', 'NONE'] as NanInterpretation[])(
    'maps NaN samples per nan_interpretation %s and leaves the +Inf sample out',
    async (nan) => {
      // Prepare: unaligned samples (…:07.250), single NaNs, the all-NaN minute and +Inf
      const query = { conditions: probe, startTime: T0 + 9 * MINUTE, endTime: T0 + HOUR + 20 * MINUTE };
      const expected = expectedRaw(DATASET, query, nan);

      // Act
      const answer = await ask(query, nan);

      // Assess
      const stored = seriesOf(METRIC.probe).samples.filter(([t]) => t >= query.startTime && t < query.endTime);
      expect(stored.some(([, v]) => Number.isNaN(v))).toBe(true);
      expect(stored.some(([t]) => t === FACTS.probe.infTime)).toBe(true);
      expectRaw(answer, expected);
    },
  );

  it('keeps the oldest points up to the limit and says isPartial', async () => {
    // Prepare
    const base = { conditions: room, startTime: T0, endTime: T0 + HOUR };

    // Act
    const answer = await ask({ ...base, limit: 10 });

    // Assess
    expectRaw(answer, expectedRaw(DATASET, { ...base, limit: 10 }));
    expect(answer.json?.telemetry?.isPartial).toBe(true);
  });

  it('is not partial when the limit equals the number of points, or is the largest int', async () => {
    // Prepare
    const base = { conditions: room, startTime: T0, endTime: T0 + HOUR };
    const count = expectedRaw(DATASET, base).points.length;

    // Act
    const exact = await ask({ ...base, limit: count });
    const huge = await ask({ ...base, limit: 2147483647 });
    const oneLess = await ask({ ...base, limit: count - 1 });

    // Assess
    expect(count).toBe(240);
    expectRaw(exact, expectedRaw(DATASET, { ...base, limit: count }));
    expectRaw(huge, expectedRaw(DATASET, base));
    expectRaw(oneLess, expectedRaw(DATASET, { ...base, limit: count - 1 }));
    expect(oneLess.json?.telemetry?.isPartial).toBe(true);
  });
});

describe('raw counters', () => {
  it('answer a per-second rate at a regular step: finite, not negative across the reset, in range and ascending', async () => {
    // Prepare
    const query = {
      conditions: counter(METRIC.requests, { method: 'GET' }),
      startTime: FACTS.requests.resetTime - 10 * MINUTE,
      endTime: FACTS.requests.resetTime + 10 * MINUTE,
    };

    // Act
    const answer = await ask(query);

    // Assess
    expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
    expect(answer.json?.telemetry?._type).toBe('RawMetricTelemetry');
    const points = answer.json?.telemetry?.points as [number, number][];
    expect(points.length).toBeGreaterThan(5);
    expect(points.every(([v, t]) => Number.isFinite(v) && v >= 0 && v < 20 / 15 + 1e-9 && t >= query.startTime && t < query.endTime)).toBe(
      true,
    );
    expect(points.every(([, t], i) => i === 0 || t > (points[i - 1] as [number, number])[1])).toBe(true);
  });
});
