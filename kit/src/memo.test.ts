import { describe, expect, it } from 'vitest';
import { memoize, memoize2 } from './memo.js';

describe('memoize', () => {
  it('computes a repeated key once and starts over when full', () => {
    const calls: string[] = [];
    const upper = memoize((key: string) => {
      calls.push(key);
      return key.toUpperCase();
    }, 2);
    expect([upper('a'), upper('a'), upper('b'), upper('c'), upper('a')]).toEqual([
      'A',
      'A',
      'B',
      'C',
      'A',
    ]);
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('never keeps a key over maxKeyChars', () => {
    let calls = 0;
    const length = memoize(
      (key: string) => {
        calls++;
        return key.length;
      },
      10,
      3,
    );
    length('long');
    length('long');
    length('abc');
    length('abc');
    expect(calls).toBe(3);
  });
});

describe('memoize2', () => {
  it('tells pairs apart however they split, counts them, and starts over when full', () => {
    const calls: string[] = [];
    const pair = memoize2((a: string, b: string) => {
      calls.push(`${a}|${b}`);
      return `${a}|${b}`;
    }, 2);
    expect(pair('ab', 'c')).toBe('ab|c');
    expect(pair('a', 'bc')).toBe('a|bc');
    expect(pair('ab', 'c')).toBe('ab|c');
    expect(pair.size).toBe(2);
    pair('x', 'y');
    expect(pair.size).toBe(1);
    expect(calls).toEqual(['ab|c', 'a|bc', 'x|y']);
  });

  it('never keeps a pair longer than maxKeyChars', () => {
    let calls = 0;
    const pair = memoize2(
      () => {
        calls++;
        return 1;
      },
      10,
      4,
    );
    pair('abc', 'de');
    pair('abc', 'de');
    expect(calls).toBe(2);
    expect(pair.size).toBe(0);
  });
});
