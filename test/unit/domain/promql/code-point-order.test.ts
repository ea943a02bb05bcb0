import { describe, expect, it } from 'vitest';
import { compareCodePoints, sortedUnique } from '../../../../lambda/domain/promql/code-point-order.js';

describe('compareCodePoints', () => {
  it('puts characters beyond the BMP after U+E000–U+FFFF, unlike UTF-16 order', () => {
    // Prepare
    const values = ['😀', '\uffff', '\ue000', 'z'];
    // Act
    const sorted = [...values].sort(compareCodePoints);
    // Assess
    expect(sorted).toEqual(['z', '\ue000', '\uffff', '😀']);
    expect([...values].sort()).not.toEqual(sorted);
  });

  it('sorts a prefix before the longer string and upper case before lower case', () => {
    // Act
    const sorted = ['ab', 'a', 'B', 'b'].sort(compareCodePoints);
    // Assess
    expect(sorted).toEqual(['B', 'a', 'ab', 'b']);
  });

  it('says equal strings are equal', () => {
    // Act
    const result = compareCodePoints('é😀', 'é😀');
    // Assess
    expect(result).toBe(0);
  });
});

describe('sortedUnique', () => {
  it('sorts and drops duplicates', () => {
    // Act
    const result = sortedUnique(['b', 'a', 'b', '😀', 'a']);
    // Assess
    expect(result).toEqual(['a', 'b', '😀']);
  });
});
