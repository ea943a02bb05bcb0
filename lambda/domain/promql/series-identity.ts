import { compareCodePoints } from './code-point-order.js';
import { isValidLabelName, quoteForMessage } from './names.js';

/**
 * Explains why a query that must select one series selected several: which labels tell the
 * series apart, so the user knows which condition to add. Work and text are bounded: one pass
 * over the label sets keeping at most a few values per label, a message under ~600 characters.
 */

const EXAMPLES = 5;
const MESSAGE_BUDGET = 560;
const VALUE_CHARS = 30;
const QUERY_CHARS = 120;
const LABEL_CHARS = 40;

interface LabelStats {
  /** How many series carry the label. */
  present: number;
  /** The smallest distinct values seen, sorted; at most EXAMPLES + 1 (the extra one means "more"). */
  smallest: string[];
}

/**
 * A message for a query (`what`) that matched several series: the number of series, the labels
 * whose values differ between them (a label on some series and not on others differs too), each
 * with up to 5 example values (sorted, `…` when there are more; `(absent)` for a missing label),
 * and the advice to add a condition on one of them. Labels are listed by name; those that do not
 * fit in the message are counted.
 *
 * @example describeSeriesAmbiguity([{ job: 'a' }, { job: 'b' }], 'up')
 * // 'The query "up" matched 2 series, but a telemetry stream must be one series. They differ in: job ("a", "b"). Add a condition on one of these labels.'
 */
export function describeSeriesAmbiguity(labelSets: Record<string, string>[], what: string): string {
  const stats = collect(labelSets);
  const differing = [...stats.entries()]
    .filter(([, s]) => s.present < labelSets.length || s.smallest.length > 1)
    .sort(([a], [b]) => compareCodePoints(a, b));
  const head = `The query ${quoteForMessage(what, QUERY_CHARS)} matched ${labelSets.length} series, but a telemetry stream must be one series.`;
  if (differing.length === 0) {
    return `${head} Their labels are the same, so no condition can tell them apart; change the query (e.g. aggregate it with ~).`;
  }
  const tail = ' Add a condition on one of these labels.';
  const parts: string[] = [];
  let length = head.length + tail.length + ' They differ in: .'.length;
  for (const [index, [label, s]] of differing.entries()) {
    const part = describeLabel(label, s, labelSets.length);
    const remaining = differing.length - index - 1;
    const reserve = remaining > 0 ? ` and ${moreLabels(remaining)}`.length : 0;
    if (parts.length > 0 && length + part.length + 2 + reserve > MESSAGE_BUDGET) {
      parts.push(`and ${moreLabels(differing.length - index)}`);
      break;
    }
    parts.push(part);
    length += part.length + 2;
  }
  return `${head} They differ in: ${parts.join(', ')}.${tail}`;
}

function moreLabels(count: number): string {
  return count === 1 ? '1 more label' : `${count} more labels`;
}

function collect(labelSets: Record<string, string>[]): Map<string, LabelStats> {
  const stats = new Map<string, LabelStats>();
  for (const labels of labelSets) {
    for (const [label, value] of Object.entries(labels)) {
      let s = stats.get(label);
      if (s === undefined) {
        s = { present: 0, smallest: [] };
        stats.set(label, s);
      }
      s.present++;
      keepSmallest(s.smallest, value);
    }
  }
  return stats;
}

/** Inserts `value` into the sorted, distinct, bounded list `smallest` when it belongs there. */
function keepSmallest(smallest: string[], value: string): void {
  let i = smallest.length;
  while (i > 0 && compareCodePoints(smallest[i - 1] as string, value) > 0) i--;
  if (i > 0 && smallest[i - 1] === value) return;
  if (i > EXAMPLES) return;
  smallest.splice(i, 0, value);
  if (smallest.length > EXAMPLES + 1) smallest.pop();
}

function describeLabel(label: string, s: LabelStats, series: number): string {
  const examples = s.smallest.slice(0, EXAMPLES).map((v) => quoteForMessage(v, VALUE_CHARS));
  if (s.present < series) examples.push('(absent)');
  if (s.smallest.length > EXAMPLES) examples.push('…');
  const name = isValidLabelName(label) && label.length <= LABEL_CHARS ? label : quoteForMessage(label, LABEL_CHARS);
  return `${name} (${examples.join(', ')})`;
}
