/**
 * What a contract parser answers: the value, or the one problem a person can fix. Never
 * throws, so the CDK app can turn a problem into a config error and the Lambda into a
 * typed HTTP error, each in its own words around the same text.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function problem<T = never>(text: string): Parsed<T> {
  return { ok: false, problem: text };
}

/** The non-empty, trimmed entries of a comma-separated setting. */
export function splitList(csv: string | undefined): string[] {
  if (csv === undefined) return [];
  return csv
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** `value` trimmed, or `undefined` when it is unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
