import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, EVENTS_V1, EVENTS_V4 } from './columns.js';
import { MIGRATIONS } from './migrations.js';

/** A migration's plain SQL and the names of its steps, as one digest. */
function digest(version: number): string {
  const migration = MIGRATIONS.find((m) => m.version === version)!;
  const steps = (migration.steps ?? []).map((s) => (typeof s === 'string' ? s : s.describe));
  const text = JSON.stringify([migration.name, migration.statements, steps]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

describe('shipped migrations', () => {
  // Append-only: a shipped migration's SQL never changes, even when the column lists it is
  // generated from are refactored. A new shape is a new migration (and a new digest here).
  it('generate exactly the SQL they shipped with', () => {
    expect(MIGRATIONS.map((m) => [m.version, digest(m.version)])).toEqual([
      [1, '3c43c4040b85b19a'],
      [2, 'd66ffb1392155bfb'],
      [3, 'c6c21f1246de307c'],
      [4, '292100495dad4f62'],
      [5, '0367941a667ff839'],
      [6, '5f38a7b61a1f195d'],
      [7, '8f6854c45c735926'],
    ]);
  });

  it('keep the events columns in the same order from version to version', () => {
    expect(Object.keys(EVENTS_V1)).toEqual(EVENT_COLUMNS);
    expect(Object.keys(EVENTS_V4)).toEqual(EVENT_COLUMNS);
  });
});
