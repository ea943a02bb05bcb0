/**
 * A few direct calls to the test Prometheus' HTTP API, for the harness' readiness checks and
 * the data-set sanity test. Deliberately independent of the mirror's own client.
 */

/** A series as Prometheus answers it: labels (with `__name__`) and [ms, value] samples. */
export interface PromSeries {
  labels: Record<string, string>;
  samples: [number, number][];
}

/** GETs one API endpoint and returns `data` of a `status: success` answer. */
export async function promApi(
  baseUrl: string,
  endpoint: string,
  params: Record<string, string | string[]> = {},
  timeoutMs = 10_000,
): Promise<unknown> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  const response = await fetch(`${baseUrl}/api/v1/${endpoint}?${search.toString()}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as { status?: string; data?: unknown; error?: string };
  if (!response.ok || parsed.status !== 'success') {
    throw new Error(`Prometheus ${endpoint} answered ${response.status}: ${parsed.error ?? text.slice(0, 200)}`);
  }
  return parsed.data;
}

/** Prometheus' sample value text → number (NaN and ±Inf included). */
export function parsePromValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** An instant query at `timeMs`; a range selector answers a matrix with the raw samples. */
export async function promQuery(baseUrl: string, expr: string, timeMs: number): Promise<PromSeries[]> {
  const data = (await promApi(baseUrl, 'query', { query: expr, time: (timeMs / 1000).toFixed(3) })) as {
    resultType: string;
    result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[];
  };
  return data.result.map((r) => ({
    labels: r.metric,
    samples: (r.values ?? (r.value ? [r.value] : [])).map(([t, v]) => [Math.round(t * 1000), parsePromValue(v)]),
  }));
}
