import { describe, expect, it } from 'vitest';
import { sqlIdentifier } from './escape.js';

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
