import { describe, expect, it } from 'vitest';
import { describeSeriesAmbiguity } from '../../../../lambda/domain/promql/series-identity.js';

describe('describeSeriesAmbiguity', () => {
  it('names the differing label with its values, the series count and the advice', () => {
    // Prepare
    const labelSets = [
      { __name__: 'up', job: 'api', instance: 'b:80' },
      { __name__: 'up', job: 'api', instance: 'a:80' },
    ];
    // Act
    const message = describeSeriesAmbiguity(labelSets, 'up{job="api"}');
    // Assess
    expect(message).toBe(
      'The query "up{job=\\"api\\"}" matched 2 series, but a telemetry stream must be one series. They differ in: instance ("a:80", "b:80"). Add a condition on one of these labels.',
    );
  });

  it('counts a label present on some series and absent on others as differing', () => {
    // Prepare
    const labelSets: Record<string, string>[] = [{ job: 'a', shard: '1' }, { job: 'a' }];
    // Act
    const message = describeSeriesAmbiguity(labelSets, 'x');
    // Assess
    expect(message).toContain('They differ in: shard ("1", (absent)).');
    expect(message).not.toContain('job (');
  });

  it('lists several differing labels by name', () => {
    // Prepare
    const labelSets = [
      { zone: 'z1', code: '200', job: 'same' },
      { zone: 'z2', code: '500', job: 'same' },
    ];
    // Act
    const message = describeSeriesAmbiguity(labelSets, 'x');
    // Assess
    expect(message).toContain('They differ in: code ("200", "500"), zone ("z1", "z2").');
  });

  it('shows at most five sorted example values and an ellipsis when there are more', () => {
    // Prepare
    const labelSets = ['g', 'c', 'a', 'f', 'b', 'e', 'd', 'a'].map((pod) => ({ pod }));
    // Act
    const message = describeSeriesAmbiguity(labelSets, 'x');
    // Assess
    expect(message).toContain('matched 8 series');
    expect(message).toContain('pod ("a", "b", "c", "d", "e", …)');
  });

  it('shows exactly five values without an ellipsis when there are five', () => {
    // Prepare
    const labelSets = ['e', 'd', 'c', 'b', 'a'].map((pod) => ({ pod }));
    // Act
    const message = describeSeriesAmbiguity(labelSets, 'x');
    // Assess
    expect(message).toContain('pod ("a", "b", "c", "d", "e")');
  });

  it('says so when the series have identical labels', () => {
    // Act
    const message = describeSeriesAmbiguity([{ a: '1' }, { a: '1' }], 'x');
    // Assess
    expect(message).toContain('Their labels are the same');
  });

  it('stays short for 2,000 series with 50 labels (its time at 10,000: npm run bench)', () => {
    // Prepare
    const labelSets = Array.from({ length: 2_000 }, (_, i) =>
      Object.fromEntries(
        Array.from({ length: 50 }, (_, j) => [`label_${String(j).padStart(2, '0')}`, `value-${(i * (j + 1)) % 9973}-${'x'.repeat(50)}`]),
      ),
    );
    // Act
    const message = describeSeriesAmbiguity(labelSets, `sum(${'very_long_metric_name_'.repeat(40)})`);
    // Assess
    expect(message.length).toBeLessThan(600);
    expect(message).toContain('matched 2000 series');
    expect(message).toContain('label_00 (');
    expect(message).toMatch(/and \d+ more labels\. Add a condition on one of these labels\.$/);
  });

  it('keeps the message under 600 characters for huge values, long label names and control characters', () => {
    // Prepare
    const nasty = '\u0001'.repeat(1000);
    const labelSets = Array.from({ length: 7 }, (_, i) => ({ [`l_${'n'.repeat(500)}`]: `${nasty}${i}`, b: `${i}"\n${'y'.repeat(5000)}` }));
    // Act
    const message = describeSeriesAmbiguity(labelSets, nasty);
    // Assess
    expect(message.length).toBeLessThan(600);
    expect(message).not.toContain('\u0001');
    expect(message).not.toContain('\n');
    expect(message).toContain(', and 1 more label. Add');
  });
});
