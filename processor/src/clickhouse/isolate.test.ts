import { describe, expect, it } from 'vitest';
import { insertIsolatingBadRows } from './isolate.js';

class BadRow extends Error {}

function fakeTable(bad: Set<number>) {
  const stored: number[] = [];
  let inserts = 0;
  return {
    stored,
    inserts: () => inserts,
    insert: async (rows: readonly number[]) => {
      inserts++;
      const found = rows.find((r) => bad.has(r));
      if (found !== undefined) throw new BadRow(`cannot parse row ${found}`);
      stored.push(...rows);
    },
  };
}

const isBad = (err: unknown) => err instanceof BadRow;

describe('insertIsolatingBadRows', () => {
  it('inserts a clean batch once', async () => {
    const table = fakeTable(new Set());
    expect(await insertIsolatingBadRows([1, 2, 3], table.insert, isBad)).toEqual([]);
    expect(table.stored).toEqual([1, 2, 3]);
    expect(table.inserts()).toBe(1);
  });

  it('stores every good row and returns each bad one with the reason', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => i);
    const table = fakeTable(new Set([7, 500, 999]));
    const rejected = await insertIsolatingBadRows(rows, table.insert, isBad);
    expect(rejected).toEqual([
      { item: 7, reason: 'cannot parse row 7' },
      { item: 500, reason: 'cannot parse row 500' },
      { item: 999, reason: 'cannot parse row 999' },
    ]);
    expect(table.stored.sort((a, b) => a - b)).toEqual(
      rows.filter((r) => ![7, 500, 999].includes(r)),
    );
    // a few bisection levels per bad row, not one insert per row
    expect(table.inserts()).toBeLessThan(70);
  });

  it('throws other errors for the caller to retry', async () => {
    const outage = async () => {
      throw new Error('ECONNREFUSED');
    };
    await expect(insertIsolatingBadRows([1, 2], outage, isBad)).rejects.toThrow('ECONNREFUSED');
  });
});
