/**
 * Prometheus name rules, in their classic (pre-UTF-8) form: every name we accept can be
 * written unquoted in PromQL, so a name can never carry PromQL syntax.
 */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
import { LABEL_NAME } from '../../contract/names.js';

/** True when `name` is a classic Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** True when `name` is a classic Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/**
 * Shows user text inside an error message: JSON-quoted (so control characters and quotes are
 * visible and harmless), at most about `max` characters between the quotes, `…` when cut.
 */
export function quoteForMessage(text: string, max = 60): string {
  let shown = '';
  for (const ch of text) {
    const escaped = JSON.stringify(ch).slice(1, -1);
    if (shown.length + escaped.length > max) return `"${shown}…"`;
    shown += escaped;
  }
  return `"${shown}"`;
}
