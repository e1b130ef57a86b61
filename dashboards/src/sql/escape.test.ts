import { describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlNumber, sqlString, sqlStringList } from './escape.js';

describe('sqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\'; DROP TABLE events; --", "'\\\\\\'; DROP TABLE events; --'"],
    ['line\nbreak\ttab\rcr', "'line\\nbreak\\ttab\\rcr'"],
    ['nul\0byte', "'nul\\0byte'"],
    ['ünïcødé ✓', "'ünïcødé ✓'"],
  ])('escapes %j', (input, expected) => {
    expect(sqlString(input)).toBe(expected);
  });
});

describe('sqlStringList', () => {
  it('quotes each value', () => {
    expect(sqlStringList(['a', "b'"])).toBe("('a', 'b\\'')");
  });
  it('refuses an empty list, which would be invalid SQL', () => {
    expect(() => sqlStringList([])).toThrow();
  });
});

describe('sqlIdentifier', () => {
  it('accepts plain names', () => {
    expect(sqlIdentifier('wmt_run_db1')).toBe('`wmt_run_db1`');
  });
  it.each(['a-b', 'a`b', 'db; DROP', '', '1abc'])('refuses %j', (name) => {
    expect(() => sqlIdentifier(name)).toThrow();
  });
});

describe('sqlNumber', () => {
  it('prints finite numbers and refuses the rest', () => {
    expect(sqlNumber(3)).toBe('3');
    expect(sqlNumber(0.5)).toBe('0.5');
    expect(() => sqlNumber(Number.NaN)).toThrow();
    expect(() => sqlNumber(Number.POSITIVE_INFINITY)).toThrow();
  });
});
