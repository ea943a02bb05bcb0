/**
 * The caller token StackState sends inside the Connection Details JSON (`mirror_token`).
 * Read before the request is validated, so a caller without a token learns nothing about
 * what a valid request looks like. Connection Details may arrive as an object or as text.
 */
export function mirrorTokenOf(body: unknown): unknown {
  if (!body || typeof body !== 'object') return undefined;
  let details: unknown = (body as { connectionDetails?: unknown }).connectionDetails;
  if (typeof details === 'string') {
    try {
      details = JSON.parse(details);
    } catch {
      return undefined;
    }
  }
  if (!details || typeof details !== 'object') return undefined;
  return (details as { mirror_token?: unknown }).mirror_token;
}
