/**
 * The four Mirror API calls. StackState joins its configured Mirror URL with `api/...`, so
 * the call is found at the end of the path whatever comes before it (an API Gateway stage,
 * a base path, doubled slashes).
 */
export type MirrorCall = 'connection' | 'fieldNames' | 'fieldValues' | 'metrics';

const CALLS: Record<string, MirrorCall> = {
  'api/connection': 'connection',
  'api/field/name': 'fieldNames',
  'api/field/value': 'fieldValues',
  'api/metric': 'metrics',
};

export function routeFor(path: string): MirrorCall | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const length of [3, 2]) {
    if (segments.length < length) continue;
    const tail = segments.slice(-length).join('/');
    const call = CALLS[tail];
    if (call) return call;
  }
  return undefined;
}
