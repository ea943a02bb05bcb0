import { parser } from '@prometheus-io/lezer-promql';
import { ENV } from '../../contract/index.js';
import { QueryTooCostlyError } from '../errors.js';

/**
 * A static estimate of what one PromQL query makes the store read, per series, from the parsed
 * expression alone: every evaluation reads a window `x[w]` of about w ÷ SAMPLE_INTERVAL samples
 * (an instant selector 1), and a subquery `e[r:s]` evaluates `e` r ÷ s times per outer
 * evaluation — multiplied through nesting. It knows neither the series count nor the real
 * scrape interval, so it is a guard against absurd queries, not a bill.
 */

/** The sample interval the estimate assumes (a common scrape interval). */
export const ASSUMED_SAMPLE_INTERVAL_MS = 15_000;
/** Subqueries without a resolution use the engine's default evaluation interval (1 minute). */
export const DEFAULT_SUBQUERY_RESOLUTION_MS = 60_000;

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface CostPart {
  /** The selector or subquery text (shortened). */
  text: string;
  /** Its samples per series over the whole query. */
  samples: number;
  /** How many times it is evaluated over the whole query. */
  evaluations: number;
  /** The outermost subquery it is nested in, if any. */
  within?: string;
}

export interface QueryCost {
  /** Estimated samples read per series. */
  samples: number;
  /** The part that contributes most. */
  costliest: CostPart | undefined;
}

/** The estimate for `expr` evaluated `evaluations` times (a query_range's steps; 1 for an instant query). */
export function estimateQueryCost(expr: string, evaluations: number): QueryCost {
  const parts: CostPart[] = [];
  walk(parser.parse(expr).topNode, expr, evaluations, parts, undefined);
  let samples = 0;
  let costliest: CostPart | undefined;
  for (const part of parts) {
    samples += part.samples;
    if (!costliest || part.samples > costliest.samples) costliest = part;
  }
  return { samples, costliest };
}

function walk(node: SyntaxNode, expr: string, evaluations: number, parts: CostPart[], within: string | undefined): void {
  switch (node.name) {
    case 'MatrixSelector': {
      const range = durationMs(node.getChild('DurationExpr'), expr) ?? ASSUMED_SAMPLE_INTERVAL_MS;
      const perWindow = Math.max(1, range / ASSUMED_SAMPLE_INTERVAL_MS);
      parts.push({ text: textOf(node, expr), samples: evaluations * perWindow, evaluations, ...(within ? { within } : {}) });
      return;
    }
    case 'VectorSelector':
      parts.push({ text: textOf(node, expr), samples: evaluations, evaluations, ...(within ? { within } : {}) });
      return;
    case 'SubqueryExpr': {
      const durations = node.getChildren('DurationExpr');
      const range = durationMs(durations[0], expr);
      const step = durationMs(durations[1], expr) ?? DEFAULT_SUBQUERY_RESOLUTION_MS;
      const inner = range === undefined ? 1 : Math.max(1, Math.ceil(range / Math.max(1, step)));
      const nested = evaluations * inner;
      const outer = within ?? textOf(node, expr);
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.name !== 'DurationExpr') walk(child, expr, nested, parts, outer);
      }
      return;
    }
    default:
      for (let child = node.firstChild; child; child = child.nextSibling) walk(child, expr, evaluations, parts, within);
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A duration literal (`5m`, `1h30m`, `300` seconds) in ms; undefined for anything else (duration arithmetic). */
export function durationMs(node: SyntaxNode | null | undefined, expr: string): number | undefined {
  if (!node) return undefined;
  const text = expr.slice(node.from, node.to).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * (UNIT_MS[unit as string] as number);
  return total;
}

function textOf(node: SyntaxNode, expr: string): string {
  const text = expr.slice(node.from, node.to).replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Refuses `expr` before it is sent when its estimate passes `limit` samples per series.
 *
 * @throws QueryTooCostlyError naming the costly part and how to narrow the request (the edge answers 422).
 */
export function assertQueryCost(expr: string, evaluations: number, limit: number): void {
  const cost = estimateQueryCost(expr, evaluations);
  if (cost.samples <= limit) return;
  const part = cost.costliest;
  const where = part
    ? ` The costly part is \`${part.text}\`${part.within ? ` inside the subquery \`${part.within}\`` : ''}: evaluated about ${round(part.evaluations)} times, reading about ${round(part.samples)} samples per series.`
    : '';
  throw new QueryTooCostlyError(
    `The query would read about ${round(cost.samples)} samples per series (${round(evaluations)} evaluations; the limit is ${round(limit)}, ${ENV.maxQuerySamples}).${where} ` +
      'Narrow it: shorter range windows and subquery ranges, coarser subquery resolutions, a shorter time range or larger buckets.',
  );
}

function round(n: number): string {
  return n >= 1e6 ? n.toExponential(2) : String(Math.round(n));
}
