/**
 * `@prometheus-io/lezer-promql` as the Lambda bundle sees it (lib/mirror-function.ts aliases the
 * package here): the PromQL grammar is ~70 KB of the bundle and a fifth of its import time, and
 * only a `~` expression needs it (its syntax check and cost estimate). It is built beside the
 * bundle as `promql-grammar.cjs` and required, synchronously, on first use of `parser`.
 * `npm start` and the tests are not bundled: they import the package itself.
 */
import { createRequire } from 'node:module';
import type * as Grammar from '@prometheus-io/lezer-promql';

type Parser = typeof Grammar.parser;

/** Beside the bundle's `index.mjs` in the asset; a variable, so esbuild leaves the require alone. */
const GRAMMAR_FILE = './promql-grammar.cjs';
let loaded: Parser | undefined;

function grammar(): Parser {
  loaded ??= (createRequire(import.meta.url)(GRAMMAR_FILE) as typeof Grammar).parser;
  return loaded;
}

export const parser: Parser = new Proxy({} as Parser, {
  get(_target, key) {
    const real = grammar();
    const value: unknown = Reflect.get(real, key, real);
    return typeof value === 'function' ? value.bind(real) : value;
  },
});
