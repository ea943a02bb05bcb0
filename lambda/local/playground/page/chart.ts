/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import uPlot from 'uplot';

/** What the chart draws: the answer's points, in the answer's shape. */
export type Telemetry =
  | { _type: 'RawMetricTelemetry'; points: [number, number][]; isPartial: boolean }
  | { _type: 'AggregatedMetricTelemetry'; points: [number, number, number][]; isPartial: boolean };

let plot: uPlot | undefined;

/**
 * Draws the answer: raw points as a line with a dot per point, aggregated buckets as steps
 * (each value held from its bucket's start to its end). The element's `data-points` says
 * how many of the answer's points are drawn.
 */
export function drawChart(host: HTMLElement, telemetry: Telemetry, label: string): void {
  clearChart(host);
  const aggregated = telemetry._type === 'AggregatedMetricTelemetry';
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const point of telemetry.points) {
    xs.push(point[1] / 1000);
    ys.push(point[0]);
  }
  const last = telemetry.points.at(-1);
  if (aggregated && last) {
    // close the last bucket: its value holds until its end
    xs.push((last as [number, number, number])[2] / 1000);
    ys.push(last[0]);
  }
  const width = Math.max(320, host.clientWidth);
  plot = new uPlot(
    {
      width,
      height: 320,
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#475569', grid: { stroke: '#e2e8f0' }, values: timeLabels },
        { stroke: '#475569', grid: { stroke: '#e2e8f0' }, size: 64 },
      ],
      series: [
        { label: 'time (UTC)', value: (_u, v) => (v == null ? '' : new Date(v * 1000).toISOString().replace('.000Z', 'Z')) },
        {
          label,
          stroke: '#2563eb',
          width: 2,
          fill: 'rgba(37, 99, 235, 0.08)',
          points: { show: !aggregated && telemetry.points.length <= 300, size: 5 },
          ...(aggregated && uPlot.paths.stepped ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
        },
      ],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    },
    [xs, ys],
    host,
  );
  host.dataset.points = String(telemetry.points.length);
}

export function clearChart(host: HTMLElement): void {
  plot?.destroy();
  plot = undefined;
  host.replaceChildren();
  host.dataset.points = '0';
}

/** Keeps the chart as wide as its panel. */
export function fitChart(host: HTMLElement): void {
  plot?.setSize({ width: Math.max(320, host.clientWidth), height: 320 });
}

/** 24-hour UTC tick labels; the date where it changes (and on the first tick). */
function timeLabels(_u: uPlot, splits: number[]): string[] {
  let day = '';
  return splits.map((s) => {
    const iso = new Date(s * 1000).toISOString();
    const label = iso.slice(11, 16);
    if (iso.slice(0, 10) === day) return label;
    day = iso.slice(0, 10);
    return `${label}\n${day}`;
  });
}
