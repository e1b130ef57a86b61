import { describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlString } from './escape.js';

describe('sqlIdentifier', () => {
  it('accepts plain names', () => {
    expect(sqlIdentifier('wmt_run_db1')).toBe('`wmt_run_db1`');
  });
  it.each(['a-b', 'a`b', 'db; DROP', '', '1abc', 'a.b', '{db:Identifier}'])(
    'refuses %j',
    (name) => {
      expect(() => sqlIdentifier(name)).toThrow();
    },
  );
});

describe('sqlString (the CLI seed check only)', () => {
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
