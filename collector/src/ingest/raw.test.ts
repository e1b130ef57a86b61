import { describe, expect, it } from 'vitest';
import { boundedJson } from './raw.js';

describe('boundedJson', () => {
  it('serializes small values exactly like JSON.stringify', () => {
    const value = { a: [1, 'x', null, { b: true }], 'k"': 'é' };
    expect(boundedJson(value, 1000)).toEqual({ json: JSON.stringify(value), truncated: false });
  });

  it('elides nesting beyond the depth cap instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { json, truncated } = boundedJson(deep, 10_000, 3);
    expect(json).toBe('[[[["…"]]]]');
    expect(truncated).toBe(true);
  });

  it('stops at the character budget', () => {
    const { json, truncated } = boundedJson({ s: 'x'.repeat(100) }, 50);
    expect(json.length).toBeLessThanOrEqual(50);
    expect(truncated).toBe(true);
  });
});
