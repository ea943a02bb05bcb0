import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importEdges, layerViolations, resolveTarget } from './layers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('layers', () => {
  it('no import in lambda/, lib/ or bin/ crosses the layers the wrong way', () => {
    // Prepare
    const edges = importEdges(ROOT, ['lambda', 'lib', 'bin']);

    // Act
    const violations = layerViolations(edges);

    // Assess
    expect(edges.length).toBeGreaterThan(200); // the scan found the code, not an empty folder
    expect(violations).toEqual([]);
  });

  it('finds the imports of a file as written, type-only and re-exports included', () => {
    // Prepare
    const edges = importEdges(ROOT, ['lambda/contract']);

    // Act
    const fromIndex = edges.filter((e) => e.from === 'lambda/contract/index.ts').map((e) => e.to);

    // Assess
    expect(fromIndex).toContain('lambda/contract/amp.ts');
    expect(fromIndex).toContain('lambda/contract/parsed.ts');
  });

  it('resolves relative specifiers to repository paths and leaves packages as named', () => {
    // Prepare / Act / Assess
    expect(resolveTarget('lambda/aws/region.ts', '../errors.js')).toBe('lambda/errors.ts');
    expect(resolveTarget('lib/mirror-stack.ts', '../lambda/contract/index.js')).toBe('lambda/contract/index.ts');
    expect(resolveTarget('lambda/contract/amp.ts', 'node:net')).toBe('node:net');
  });

  it.each([
    ['lib/tenants-config.ts', 'lambda/security/allowlist.ts', /lib\/ imports lambda runtime/],
    ['lib/mirror-stack.ts', 'lambda/errors.ts', /lib\/ imports lambda runtime/],
    ['lambda/domain/time/over-time.ts', 'lambda/upstream/prometheus-client.ts', /domain imports an outer layer/],
    ['lambda/domain/promql/matchers.ts', 'lambda/aws/region.ts', /domain imports an outer layer/],
    ['lambda/domain/time/buckets.ts', 'lambda/app/store.ts', /domain imports an outer layer/],
    ['lambda/domain/time/buckets.ts', 'lambda/http/chain.ts', /domain imports an outer layer/],
    ['lambda/domain/time/buckets.ts', 'lambda/security/secrets.ts', /domain imports an outer layer/],
    ['lambda/domain/promql/promql-check.ts', 'lambda/errors.ts', /domain imports the HTTP-status errors/],
    ['lambda/app/store.ts', 'lambda/local/server.ts', /imports lambda\/local/],
    ['lambda/app/routes.ts', 'lambda/http/request-state.ts', /imports the HTTP edge/],
    ['lambda/upstream/retry.ts', 'lambda/handler.ts', /imports the HTTP edge/],
    ['lambda/handler.ts', 'lambda/local/api-gateway-event.ts', /imports lambda\/local/],
    ['lambda/contract/amp.ts', 'node:net', /contract imports something outside/],
    ['lambda/contract/amp.ts', 'zod', /contract imports something outside/],
    ['lambda/contract/amp.ts', 'lambda/errors.ts', /contract imports something outside/],
  ])('rejects the fake edge %s → %s', (from, to, rule) => {
    // Prepare / Act
    const violations = layerViolations([{ from, to }]);

    // Assess
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(rule);
  });

  it.each([
    ['lib/tenants-config.ts', 'lambda/contract/index.ts'],
    ['lambda/domain/time/range-chunks.ts', 'lambda/contract/limits.ts'],
    ['lambda/domain/promql/matchers.ts', 'lambda/domain/promql/names.ts'],
    ['lambda/local/server.ts', 'lambda/handler.ts'],
    ['lambda/app/store.ts', 'lambda/domain/time/buckets.ts'],
    ['lambda/domain/promql/promql-check.ts', 'lambda/domain/errors.ts'],
    ['lambda/http/error-responses.ts', 'lambda/errors.ts'],
    ['lambda/contract/index.ts', 'lambda/contract/amp.ts'],
    ['lambda/http/route.ts', 'lambda/app/routes.ts'],
  ])('accepts the edge %s → %s', (from, to) => {
    // Prepare / Act / Assess
    expect(layerViolations([{ from, to }])).toEqual([]);
  });
});
