import { describe, expect, it } from 'vitest';
import { JsonStreamSyntaxError, PromJsonStream } from '../../../lambda/upstream/json-stream.js';

const ANSWER = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      {
        metric: { __name__: 'a', q: 'x"\\\n\u00e9\ud83d\ude00' },
        values: [
          [1700000000.123, '1.5'],
          [1700000015, 'NaN'],
        ],
      },
      { metric: {}, values: [[-1e3, '+Inf']] },
    ],
  },
  warnings: ['w', true, false, null, [], {}],
});

function read(pieces: string[]) {
  const items: unknown[] = [];
  const metrics: [number, unknown][] = [];
  const reader = new PromJsonStream({ onItem: (_, item) => items.push(item), onMetric: (i, m) => metrics.push([i, m]) });
  for (const piece of pieces) reader.feed(piece);
  reader.end();
  return { root: reader.value, items, metrics, scalars: reader.resultScalars };
}

describe('incremental reading of a Prometheus answer', () => {
  it('gives the same values as JSON.parse wherever the text is cut', () => {
    // Prepare
    const expected = JSON.parse(ANSWER);

    for (let cut = 0; cut <= ANSWER.length; cut++) {
      // Act
      const { root, items, metrics } = read([ANSWER.slice(0, cut), ANSWER.slice(cut)]);

      // Assess
      expect(items).toEqual(expected.data.result);
      expect(metrics).toEqual([
        [0, expected.data.result[0].metric],
        [1, {}],
      ]);
      expect((root as typeof expected).warnings).toEqual(expected.warnings);
      expect((root as typeof expected).data.resultType).toBe('matrix');
    }
  });

  it('keeps a key named __proto__ as an own property, as JSON.parse does, at every level', () => {
    // Prepare: a label named __proto__ (valid in Prometheus), and an object under that key
    const text =
      '{"status":"success","__proto__":{"polluted":true},"data":{"resultType":"vector","result":[{"metric":{"__proto__":"x","a":"b"},"value":[1,"2"]}]}}';
    const expected = JSON.parse(text);

    // Act
    const { root, items, metrics } = read([text]);

    // Assess
    expect(metrics).toEqual([[0, expected.data.result[0].metric]]);
    expect(Object.keys(metrics[0]?.[1] as object)).toEqual(['__proto__', 'a']);
    expect(items).toEqual(expected.data.result);
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
    expect((root as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(root, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('reads one character at a time, escapes included', () => {
    const { items } = read([...ANSWER].flatMap((c) => c.split('')));
    expect(items).toEqual(JSON.parse(ANSWER).data.result);
  });

  it('keeps a scalar answer\'s [t, "v"] apart from series', () => {
    const { scalars, items } = read(['{"status":"success","data":{"resultType":"scalar","result":[1.5,"2"]}}']);
    expect(scalars).toEqual([1.5, '2']);
    expect(items).toEqual([]);
  });

  it('stops at the second series when the callback throws', () => {
    // Prepare
    const reader = new PromJsonStream({
      onItem: () => undefined,
      onMetric: (index) => {
        if (index > 0) throw new Error('second series');
      },
    });

    // Act + Assess
    expect(() => reader.feed(ANSWER)).toThrow('second series');
  });

  it.each([
    ['{"a":1,}'],
    ['[1,]'],
    ['{"a" 1}'],
    ['{"a":tru}'],
    ['{"a":01}'],
    ['{"a":"\\x"}'],
    ['{"a":"b'],
    ['{"a":1}}'],
    ['{"a":"\u0001"}'],
  ])('refuses %s', (text) => {
    const reader = new PromJsonStream({ onItem: () => undefined });
    expect(() => {
      reader.feed(text);
      reader.end();
    }).toThrow(JsonStreamSyntaxError);
  });
});
