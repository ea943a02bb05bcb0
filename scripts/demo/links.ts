import { DENSE_END, FACTS, HOUR, METRIC, MINUTE } from '../../test/fixtures/dataset.js';

/** A MetricsQuery exactly as StackState sends it (and as the playground reads it from `?query=`). */
export interface DemoQuery {
  _type: 'MetricsQuery';
  conditions: { _type: 'EqualityCondition'; key: string; value: { _type: 'StringValue'; value: string } }[];
  startTime: number;
  endTime: number;
  aggregation?: { _type: 'Aggregation'; method: string; bucketSizeMillis: number } | undefined;
}

/** A stream worth a look: what it shows, and its query. */
export interface DemoStream {
  title: string;
  query: DemoQuery;
  /** Scraped while the demo runs (as opposed to backfilled). */
  live: boolean;
}

function conditions(pairs: Record<string, string>): DemoQuery['conditions'] {
  return Object.entries(pairs).map(([key, value]) => ({ _type: 'EqualityCondition', key, value: { _type: 'StringValue', value } }));
}

function aggregation(method: string, bucketSizeMillis: number): DemoQuery['aggregation'] {
  return { _type: 'Aggregation', method, bucketSizeMillis };
}

/**
 * The streams the demo prints. The backfilled data set ends at `shiftedToMs`: its dense
 * era covers the six hours before, its latency histogram the last three of them. Live streams
 * (the mirror's own metrics) look from five minutes before `nowMs` to an hour after it, so the
 * same link shows more points each time it is asked.
 */
export function demoStreams(shiftedToMs: number, nowMs: number): DemoStream[] {
  const dense = { startTime: shiftedToMs - 6 * HOUR, endTime: shiftedToMs };
  const latency = { startTime: shiftedToMs - (DENSE_END - FACTS.latency.from), endTime: shiftedToMs };
  const live = { startTime: nowMs - 5 * MINUTE, endTime: nowMs + HOUR };
  return [
    {
      title: 'raw gauge: room temperature, north 101',
      live: false,
      query: { _type: 'MetricsQuery', conditions: conditions({ __gauge__: METRIC.room, building: 'north', room: '101' }), ...dense },
    },
    {
      title: 'gauge MEAN per 5 minutes: a probe signal with NaN, +Inf and a gap',
      live: false,
      query: {
        _type: 'MetricsQuery',
        conditions: conditions({ __gauge__: METRIC.probe }),
        ...dense,
        aggregation: aggregation('MEAN', 5 * MINUTE),
      },
    },
    {
      title: 'counter rate per minute: GET requests, with a reset',
      live: false,
      query: {
        _type: 'MetricsQuery',
        conditions: conditions({ __counter__: METRIC.requests, method: 'GET' }),
        ...dense,
        aggregation: aggregation('MEAN', MINUTE),
      },
    },
    {
      title: '~ histogram quantile: p90 request latency from a backfilled histogram, with a reset',
      live: false,
      query: {
        _type: 'MetricsQuery',
        conditions: conditions({ '~': `histogram_quantile(0.9, sum by (le) (rate(${METRIC.latency}_bucket[5m])))` }),
        ...latency,
      },
    },
    {
      title: "the mirror's own requests (live): api/metric answers per second",
      live: true,
      query: {
        _type: 'MetricsQuery',
        conditions: conditions({ __counter__: 'mirror_requests_total', call: 'metrics', status: '200' }),
        ...live,
      },
    },
  ];
}

/** `http://127.0.0.1:<port>/?url=<store>&query=<MetricsQuery JSON>`, both URL-encoded. */
export function playgroundLink(mirrorUrl: string, storeUrl: string, query: DemoQuery): string {
  return `${mirrorUrl}/?url=${encodeURIComponent(storeUrl)}&query=${encodeURIComponent(JSON.stringify(query))}`;
}
