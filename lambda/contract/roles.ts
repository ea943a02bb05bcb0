import { ENV, NO_ROLES } from './env.js';
import { ok, problem, splitList, type Parsed } from './parsed.js';

/** An IAM role ARN in any partition; the path and name use IAM's character set. */
export const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Longest text {@link ROLE_ARN} is tried on (IAM: 2048). */
export const MAX_ROLE_ARN_LENGTH = 2048;

/** Whether `text` is an IAM role ARN; the length is bounded before the pattern runs. */
export function isRoleArn(text: string): boolean {
  return text.length <= MAX_ROLE_ARN_LENGTH && ROLE_ARN.test(text);
}

/**
 * Parses the role ARNs a tenant may name in `aws.role_arn` (`MIRROR_ALLOWED_ROLE_ARNS`).
 *
 * @param csv - Comma-separated IAM role ARNs, or {@link NO_ROLES} (`none`).
 * @returns The ARNs; `[]` for `none` (every `role_arn` refused, the mirror's own role still
 *   allowed); `undefined` when `csv` is unset or empty (no restriction, local use only).
 * @example
 * parseRoleList('none') // { ok: true, value: [] }
 */
export function parseRoleList(csv: string | undefined): Parsed<string[] | undefined> {
  if (csv?.trim().toLowerCase() === NO_ROLES) return ok([]);
  const entries = splitList(csv);
  if (entries.length === 0) return ok(undefined);
  const bad = entries.findIndex((entry) => !isRoleArn(entry));
  if (bad !== -1) {
    return problem(`${ENV.allowedRoleArns} entry ${bad + 1} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
  }
  return ok(entries);
}
