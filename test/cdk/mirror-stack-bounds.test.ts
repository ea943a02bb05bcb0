import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MirrorStack } from '../../lib/mirror-stack.js';
import { parseTenantsConfigText, TenantsConfigError } from '../../lib/tenants-config.js';
import { testApp } from './helpers.js';

function environmentOf(stack: MirrorStack): Record<string, unknown> {
  const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0]!;
  return fn.Properties.Environment.Variables as Record<string, unknown>;
}

describe('per-tenant bounds', () => {
  it('reach the function as its environment; unset ones keep the function defaults', () => {
    // Prepare
    const app = testApp();
    const urls = ['https://prometheus.example.com/prom'];

    // Act
    const set = new MirrorStack(app, 'StackStateMirror-bounded', {
      tenant: 'bounded',
      allowedWorkspaceUrls: urls,
      bounds: { retentionDays: 150, maxUpstreamCalls: 40, maxSamplesProcessed: 200_000_000 },
    });
    const unset = new MirrorStack(app, 'StackStateMirror-plain', { tenant: 'plain', allowedWorkspaceUrls: urls });

    // Assess
    expect(environmentOf(set)).toMatchObject({
      MIRROR_RETENTION_DAYS: '150',
      MIRROR_MAX_UPSTREAM_CALLS: '40',
      MIRROR_MAX_SAMPLES_PROCESSED: '200000000',
    });
    expect(environmentOf(set)).not.toHaveProperty('MIRROR_MAX_ANSWER_BYTES');
    expect(Object.keys(environmentOf(unset)).filter((k) => /MAX_|RETENTION/.test(k))).toEqual([]);
  });

  it('are validated like the rest of the tenants file', () => {
    const text = JSON.stringify({ tenants: [{ name: 'a', allowedWorkspaceUrls: ['https://p.example.com'], maxUpstreamCalls: 0 }] });
    expect(() => parseTenantsConfigText(text, 'test')).toThrow(TenantsConfigError);
    expect(() => parseTenantsConfigText(text, 'test')).toThrow(/tenants\[0\]\.maxUpstreamCalls/);
  });
});
