import { describe, expect, inject, it } from 'vitest';
import { promApi, promQuery } from '../support/prometheus/http.js';

const url = inject('prometheusUrl');
const engine = inject('prometheusEngine');

describe(`the test Prometheus of project integration-${engine}.x`, () => {
  it(`is Prometheus ${engine}.x`, async () => {
    // Act
    const build = (await promApi(url, 'status/buildinfo')) as { version: string };

    // Assess
    expect(build.version).toMatch(new RegExp(`^${engine}\\.\\d+\\.\\d+`));
  });

  it(`has the range selectors of ${engine}.x (closed on 2.x, left-open on 3.x), so both kinds are tested`, async () => {
    // Act: the mirror's own probe, read directly
    const answer = await promQuery(url, 'count_over_time(vector(1)[2s:1s])', Date.UTC(2026, 0, 1));

    // Assess
    expect(answer[0]?.samples[0]?.[1]).toBe(engine === 2 ? 3 : 2);
  });
});
