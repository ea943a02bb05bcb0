import { describe, expect, inject, it } from 'vitest';
import { ARCHIVE_END, DATASET, DENSE_END, METRIC, T0, type DatasetSeries } from '../fixtures/dataset.js';
import { promApi, promQuery, type PromSeries } from '../support/prometheus/http.js';

const url = inject('prometheusUrl');

function key(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).filter(([name]) => name !== '__name__');
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function expectSameSamples(actual: PromSeries, expected: DatasetSeries): void {
  expect(actual.samples.length, `${expected.name} ${JSON.stringify(expected.labels)} sample count`).toBe(expected.samples.length);
  const mismatch = expected.samples.findIndex(([t, v], i) => {
    const got = actual.samples[i];
    return got === undefined || got[0] !== t || !Object.is(got[1], v);
  });
  expect(mismatch, `${expected.name} ${JSON.stringify(expected.labels)}: first differing sample`).toBe(-1);
}

describe('the test Prometheus', () => {
  it('holds exactly the series of the data set, with every sample, NaN and Inf as written', async () => {
    // Prepare
    const names = [...new Set(DATASET.map((s) => s.name))];

    for (const name of names) {
      const expected = DATASET.filter((s) => s.name === name);
      const last = Math.max(...expected.map((s) => s.samples.at(-1)?.[0] ?? 0));
      const first = Math.min(...expected.map((s) => s.samples[0]?.[0] ?? 0));

      // Act
      const answer = await promQuery(url, `${name}[${last - first + 1}ms]`, last);

      // Assess
      const byLabels = new Map(answer.map((s) => [key(s.labels), s]));
      expect(answer.map((s) => s.labels.__name__)).toEqual(expected.map(() => name));
      expect(answer).toHaveLength(expected.length);
      for (const series of expected) {
        const actual = byLabels.get(key(series.labels));
        expect(actual, `${name} ${JSON.stringify(series.labels)} is stored`).toBeDefined();
        if (actual) expectSameSamples(actual, series);
      }
    }
  });

  it('holds no other series in the eras of the data set', async () => {
    // Act
    const dense = (await promApi(url, 'series', {
      'match[]': '{__name__=~".+"}',
      start: String(T0 / 1000),
      end: String((DENSE_END - 1) / 1000),
    })) as unknown[];
    const archive = (await promApi(url, 'series', {
      'match[]': '{__name__=~".+"}',
      start: String(ARCHIVE_END / 1000 - 60 * 86400),
      end: String((ARCHIVE_END - 1) / 1000),
    })) as unknown[];

    // Assess
    expect(dense.length + archive.length).toBe(DATASET.length);
  });

  it('has real metadata for its own scraped families and none for the backfilled ones', async () => {
    // Act
    const metadata = (await promApi(url, 'metadata')) as Record<string, { type: string }[]>;

    // Assess
    expect(metadata.prometheus_tsdb_head_series?.[0]?.type).toBe('gauge');
    expect(metadata.prometheus_http_requests?.[0]?.type ?? metadata.prometheus_http_requests_total?.[0]?.type).toBe('counter');
    expect(metadata[METRIC.room]).toBeUndefined();
    expect(metadata.http_requests).toBeUndefined();
  });
});
