import { describe, expect, it } from 'vitest';
import { routeFor } from '../../../lambda/app/routes.js';

describe('routeFor', () => {
  it('finds each of the four calls at the end of the path', () => {
    expect(routeFor('/api/connection')).toBe('connection');
    expect(routeFor('/api/field/name')).toBe('fieldNames');
    expect(routeFor('/api/field/value')).toBe('fieldValues');
    expect(routeFor('/api/metric')).toBe('metrics');
  });

  it('accepts doubled slashes and any base path before api/', () => {
    expect(routeFor('//api/metric')).toBe('metrics');
    expect(routeFor('/prod/api/field/value')).toBe('fieldValues');
    expect(routeFor('/mirror/tenant-a//api/connection/')).toBe('connection');
  });

  it('knows no other path', () => {
    expect(routeFor('/')).toBeUndefined();
    expect(routeFor('/api')).toBeUndefined();
    expect(routeFor('/api/metrics')).toBeUndefined();
    expect(routeFor('/api/field')).toBeUndefined();
    expect(routeFor('/api/metric/extra')).toBeUndefined();
  });
});
