import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkMirror } from './check/mirror-check.js';

/**
 * `npm run check -- <mirror URL> --details <file or JSON> [--api-key K] [--query <MetricsQuery JSON or file>]`
 *
 * Plays StackState against a mirror before StackState is touched: one line per step, exit 0
 * only when every step passes. See docs/deploy.md ("Check the endpoint").
 */
const USAGE =
  'usage: npm run check -- <mirror URL> --details <file or JSON> [--api-key <key>] [--query <MetricsQuery JSON or file>] [--timeout <seconds>]';

function main(): Promise<number> | number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { mirrorUrl, details, query, apiKey, timeoutMs } = parsed;
  return checkMirror({ mirrorUrl, details, query, apiKey, timeoutMs }).then((results) => {
    const width = Math.max(...results.map((r) => r.step.length));
    for (const result of results) {
      console.log(`${result.ok ? 'PASS' : 'FAIL'}  ${result.step.padEnd(width)}  ${result.line}`);
    }
    const failed = results.filter((r) => !r.ok).length;
    console.log(failed === 0 ? `all ${results.length} steps passed` : `${failed} of ${results.length} steps failed`);
    return failed === 0 ? 0 : 1;
  });
}

function parse() {
  const { values, positionals } = parseArgs({
    args: joinValues(process.argv.slice(2)),
    allowPositionals: true,
    options: {
      details: { type: 'string' },
      'api-key': { type: 'string' },
      query: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  const mirrorUrl = positionals[0];
  if (mirrorUrl === undefined || positionals.length > 1) throw new Error('Give exactly one mirror URL.');
  if (!/^https?:\/\//.test(mirrorUrl)) throw new Error(`The mirror URL must start with http:// or https://: ${mirrorUrl}`);
  if (values.details === undefined) throw new Error('Give the Connection Details with --details (a file or a JSON object).');
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!(timeout > 0)) throw new Error('--timeout must be a positive number of seconds.');
  return {
    mirrorUrl,
    details: jsonObject(values.details, '--details'),
    query: values.query === undefined ? undefined : jsonObject(values.query, '--query'),
    apiKey: values['api-key'],
    timeoutMs: timeout * 1000,
  };
}

const VALUE_OPTIONS = new Set(['--details', '--api-key', '--query', '--timeout']);

/** `--api-key -x…` as `--api-key=-x…`: a key may start with a dash. */
function joinValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (VALUE_OPTIONS.has(arg) && next !== undefined) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** A JSON object given inline (starting with `{`) or as a file name. */
function jsonObject(text: string, flag: string): Record<string, unknown> {
  const source = text.trimStart().startsWith('{') ? text : readFileSync(text, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new Error(`${flag} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${flag} must be a JSON object.`);
  return value as Record<string, unknown>;
}

process.exitCode = await main();
