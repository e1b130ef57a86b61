import { testClickHouse } from '@waymark/test-harness';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { eventNameKey, eventNameKeySql } from './event-name.js';

const clickhouse = testClickHouse();
afterAll(() => clickhouse.close());

/** Keys of `names` as ClickHouse computes them, in order. */
async function sqlKeys(names: readonly string[]): Promise<string[]> {
  const result = await clickhouse.query({
    query: `SELECT ${eventNameKeySql('name')} AS key FROM (SELECT arrayJoin({names:Array(String)}) AS name, rowNumberInAllBlocks() AS n) ORDER BY n`,
    query_params: { names },
    format: 'JSONEachRow',
  });
  return (await result.json<{ key: string }>()).map((r) => r.key);
}

describe('event name keys', () => {
  it('make the spellings people use one name', () => {
    for (const name of [
      'Order Completed',
      'order_completed',
      'order-completed',
      ' ORDER  COMPLETED ',
      'Order_-_Completed',
    ]) {
      expect(eventNameKey(name)).toBe('order_completed');
    }
    expect(eventNameKey('Product Added to Wishlist')).toBe('product_added_to_wishlist');
    expect(eventNameKey('OrderCompleted')).toBe('ordercompleted');
  });

  it('are the same in TypeScript and in ClickHouse, for any name', async () => {
    const spelling = fc.oneof(
      fc.string({
        unit: fc.constantFrom('A', 'b', 'Z', ' ', '_', '-', '\t', '\n', 'É', 'é', 'ß', '.', '1'),
      }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(spelling, { minLength: 1, maxLength: 50 }), async (names) => {
        expect(await sqlKeys(names)).toEqual(names.map(eventNameKey));
      }),
      { numRuns: 40 },
    );
  });
});
