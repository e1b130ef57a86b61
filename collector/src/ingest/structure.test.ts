import { LIMITS } from '@waymark/contract/limits';
import { describe, expect, it } from 'vitest';
import { checkStructure } from './structure.js';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('checkStructure', () => {
  it('accepts an ordinary event', () => {
    expect(
      checkStructure({ type: 'track', event: 'x', properties: { a: [1, 'b', { c: null }] } }),
    ).toBeUndefined();
  });

  it('stops at the depth limit, even for absurdly deep input', () => {
    expect(checkStructure(nested(LIMITS.maxDepth))).toBeUndefined();
    expect(checkStructure(nested(LIMITS.maxDepth + 1))?.code).toBe('WAYMARK_ERR_EVENT_TOO_DEEP');
    expect(checkStructure(nested(100_000))?.code).toBe('WAYMARK_ERR_EVENT_TOO_DEEP');
  });

  it('names the path and the limit of long strings and keys', () => {
    const long = 'x'.repeat(LIMITS.maxStringLength + 1);
    expect(checkStructure({ properties: { note: long } })).toEqual({
      code: 'WAYMARK_ERR_EVENT_STRING_TOO_LONG',
      path: 'properties.note',
      reason: `string longer than the ${LIMITS.maxStringLength}-character limit`,
    });
    expect(checkStructure({ ['k'.repeat(LIMITS.maxKeyLength + 1)]: 1 })?.code).toBe(
      'WAYMARK_ERR_EVENT_KEY_TOO_LONG',
    );
  });

  it('refuses prototype-polluting keys', () => {
    expect(checkStructure(JSON.parse('{"properties":{"__proto__":{"admin":true}}}'))).toMatchObject(
      { code: 'WAYMARK_ERR_EVENT_FORBIDDEN_KEY', path: 'properties.__proto__' },
    );
    expect(checkStructure({ traits: { constructor: { prototype: {} } } })?.code).toBe(
      'WAYMARK_ERR_EVENT_FORBIDDEN_KEY',
    );
  });

  it('refuses lone surrogates but keeps well-formed emoji', () => {
    expect(checkStructure({ event: 'ok 🎉' })).toBeUndefined();
    expect(checkStructure({ event: 'bad \uD800 x' })?.code).toBe(
      'WAYMARK_ERR_EVENT_MALFORMED_STRING',
    );
  });

  it('refuses oversized collections', () => {
    expect(checkStructure({ p: Array(LIMITS.maxCollectionSize + 1).fill(0) })?.code).toBe(
      'WAYMARK_ERR_EVENT_TOO_MANY_ITEMS',
    );
  });
});
