import { parser } from '@prometheus-io/lezer-promql';
import { InvalidRequestError } from '../errors.js';
import { nearestName } from '../../nearest-name.js';
import { readPromqlString } from './promql-text.js';

/**
 * Syntax check of user PromQL (the `~` condition) before it reaches the store, with a message
 * that points at the mistake. Uses Prometheus' own lezer grammar (the one its web UI uses), plus
 * the string-literal rules that grammar leaves to the Go lexer (closing quote, escapes). A name
 * the grammar does not know followed by `(` is named as an unknown function, with the nearest
 * known one. Types (e.g. `rate(x)` instead of `rate(x[5m])`) are left to the store.
 */

const CONTEXT_POINTS = 20;
/**
 * The lezer parser cuts very deep or very long left-associative trees (chains of hundreds of
 * binary operators over thousands of characters) and reports an error there; above this length
 * the message says so.
 */
const LONG_EXPRESSION = 2000;

/** Whether `expr` is syntactically valid PromQL; if not, a message saying where and why. */
export type PromqlCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks the syntax of a PromQL expression.
 *
 * @returns `{ ok: true }`, or `{ ok: false, message }` with a message such as
 *   `PromQL syntax error at line 1, column 15 near "sum(x) by (job": the expression ends too early`.
 *   Lines and columns count from 1; columns count characters (code points).
 * @example checkPromql('rate(x[5m])') // { ok: true }
 */
export function checkPromql(expr: string): PromqlCheck {
  if (expr.trim() === '') return { ok: false, message: 'The PromQL expression is empty.' };
  if (!expr.isWellFormed()) {
    return { ok: false, message: 'The PromQL expression contains a lone UTF-16 surrogate (invalid Unicode).' };
  }
  const problem = firstProblem(expr);
  if (problem === undefined) return { ok: true };
  const hint =
    expr.length > LONG_EXPRESSION
      ? ' (If the expression is valid, it is too long or too deeply nested for the syntax check: shorten it, e.g. with recording rules.)'
      : '';
  return { ok: false, message: describe(expr, problem) + hint };
}

/**
 * Throws when `expr` is not valid PromQL.
 *
 * @throws InvalidRequestError('Invalid PromQL', message) with the message of {@link checkPromql}.
 */
export function assertPromql(expr: string): void {
  const result = checkPromql(expr);
  if (!result.ok) throw new InvalidRequestError('Invalid PromQL', result.message);
}

/**
 * `expr` in parentheses, safe to embed in a larger query (a subquery, a function argument):
 * the closing parenthesis goes on its own line so that a trailing `# comment` in `expr` cannot
 * swallow it. Only for an expression that passed {@link checkPromql}.
 *
 * @example `avg_over_time(${parenthesizePromql('x # note')}[1h:1m])` // 'avg_over_time((x # note\n)[1h:1m])'
 */
export function parenthesizePromql(expr: string): string {
  return `(${expr}\n)`;
}

interface Problem {
  from: number;
  to: number;
  reason: string;
}

function firstProblem(expr: string): Problem | undefined {
  let found: Problem | undefined;
  parser.parse(expr).iterate({
    enter(node) {
      if (found !== undefined) return false;
      if (node.type.isError) {
        found = unknownFunction(expr, node.from) ?? { from: node.from, to: node.to, reason: errorReason(expr, node.from, node.to) };
        return false;
      }
      if (node.name === 'StringLiteral') {
        const reading = readPromqlString(expr.slice(node.from, node.to));
        if (!reading.ok) found = { from: node.from + reading.offset, to: node.from + reading.offset, reason: reading.problem };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * An error at a `(` that follows a bare name: the name is used as a function the grammar does
 * not know (`rates(x[5m])`); an error at `by (` / `without (` after one, as an aggregation
 * (`sums by (job) (x)`). The problem then points at the name.
 */
function unknownFunction(expr: string, errorAt: number): Problem | undefined {
  const grouping = /^(by|without)\s*\(/.test(expr.slice(errorAt, errorAt + 12));
  if (expr[errorAt] !== '(' && !grouping) return undefined;
  const before = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(expr.slice(Math.max(0, errorAt - 200), errorAt));
  const name = before?.[1];
  if (name === undefined) return undefined;
  const from = errorAt - (before?.[0].length ?? 0);
  const near = nearestName(name, knownFunctionNames());
  const hint = near === undefined ? '' : ` (did you mean ${near}?)`;
  const what = grouping ? 'aggregation' : 'function';
  return { from, to: from + name.length, reason: `unknown ${what} ${JSON.stringify(name)}${hint}` };
}

let functionNames: string[] | undefined;

/**
 * The function and aggregation names of the grammar itself: every node type name written in
 * snake_case (`HistogramQuantile` → `histogram_quantile`) that parses as a call. Computed once.
 */
function knownFunctionNames(): string[] {
  if (functionNames !== undefined) return functionNames;
  const names = new Set<string>();
  for (const type of parser.nodeSet.types) {
    const name = type.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(name) || names.has(name)) continue;
    let call = false;
    parser.parse(`${name}(x)`).iterate({
      enter(node) {
        if (node.type.isError) call = false;
        else if (node.name === 'FunctionIdentifier' || node.name === 'AggregateOp') call = true;
        return node.type.isError ? false : undefined;
      },
    });
    if (call && parseIsClean(`${name}(x)`)) names.add(name);
  }
  functionNames = [...names].sort();
  return functionNames;
}

function parseIsClean(text: string): boolean {
  let clean = true;
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) clean = false;
      return clean ? undefined : false;
    },
  });
  return clean;
}

/** The known PromQL function and aggregation names (for messages and tests). */
export function promqlFunctionNames(): readonly string[] {
  return knownFunctionNames();
}

function errorReason(expr: string, from: number, to: number): string {
  if (to > from) return `unexpected ${JSON.stringify(expr.slice(from, to).trim().slice(0, 40))}`;
  if (expr.slice(from).trim() === '') return 'the expression ends too early';
  return 'something is missing here';
}

/** `PromQL syntax error at line L, column C near "…": reason`, with at most ~20 characters each side. */
function describe(expr: string, problem: Problem): string {
  const lineStart = expr.lastIndexOf('\n', problem.from - 1) + 1;
  const lineEndIndex = expr.indexOf('\n', problem.from);
  const lineEnd = lineEndIndex === -1 ? expr.length : lineEndIndex;
  const line = countLines(expr, lineStart);
  const before = Array.from(expr.slice(lineStart, problem.from));
  const after = Array.from(expr.slice(Math.max(problem.from, Math.min(problem.to, lineEnd)), lineEnd).slice(0, CONTEXT_POINTS * 2));
  const errorText = Array.from(expr.slice(problem.from, Math.max(problem.from, Math.min(problem.to, lineEnd))));
  const column = before.length + 1;
  const near = [...before.slice(-CONTEXT_POINTS), ...errorText.slice(0, CONTEXT_POINTS), ...after.slice(0, CONTEXT_POINTS)].join('').trim();
  const where = `PromQL syntax error at line ${line}, column ${column}`;
  return near === '' ? `${where}: ${problem.reason}` : `${where} near ${JSON.stringify(near)}: ${problem.reason}`;
}

function countLines(text: string, upTo: number): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < upTo; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
