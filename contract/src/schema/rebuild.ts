/**
 * Copy-and-swap: how a migration gives an existing table a new shape when ALTER cannot (a new
 * type in the sorting or partition key), on data already stored, without a reset.
 *
 * The new table is created empty beside the live one, swapped in by RENAME, then the old
 * table's rows are copied into it and the old table is dropped. Swapping first means that
 * from the swap on every insert (they name the live table) lands in the new table, so nothing
 * written during the copy is lost; readers see a partial table until the copy ends (see the
 * processor README for the measured window).
 *
 * It is a loop over the state found in `system.columns`, one action per round, so it is safe to
 * re-run after a crash at any statement and when several processors migrate at once: every
 * side table (`<table>__new_<id>`, `<table>__old_<id>`, unique per attempt) is copied into
 * the live table before it is dropped, whichever attempt made it; a rename or copy that loses
 * a race with another migrator fails with "table exists" / "unknown table" and the loop looks
 * again. A copy can run twice (two migrators, or a re-run): the copies are duplicates, which
 * ReplacingMergeTree collapses and readers deduplicate by message id anyway.
 */
import { randomBytes } from 'node:crypto';
import type { MigrationContext } from './context.js';
import { clickHouseErrorCode } from './errors.js';

export interface TableRebuild {
  /** The live table. */
  table: string;
  /** `CREATE TABLE IF NOT EXISTS {db}.<name> …` in the new shape, for any name. */
  create: (name: string) => string;
  /** The live table has its new shape once this column has this type (as system.columns says). */
  done: { column: string; type: string };
  /**
   * How an old copy's rows are read into the new shape: the live table's columns and, for each,
   * the expression over the old table. Absent for derived tables (rollups), which are rebuilt
   * from their source instead: their old copies are dropped unread.
   */
  copy?: { columns: readonly string[]; select: readonly string[] };
}

/** "table already exists", "unknown table": lost a race with another migrator; look again. */
const RACE_CODES = new Set(['57', '60']);

/** Runs `step`; false when it lost such a race. */
async function racing(step: Promise<void>): Promise<boolean> {
  try {
    await step;
    return true;
  } catch (err) {
    if (!RACE_CODES.has(clickHouseErrorCode(err) ?? '')) throw err;
    return false;
  }
}

interface TableState {
  /** The live table's type of `done.column`; undefined when there is no live table. */
  live: string | undefined;
  /** Side tables left by this or an earlier attempt, with their type of `done.column`. */
  side: { name: string; type: string }[];
}

async function stateOf(ctx: MigrationContext, spec: TableRebuild): Promise<TableState> {
  const found = await ctx.rows<{ table: string; type: string }>(
    `SELECT table, type FROM system.columns
     WHERE database = {db:String} AND name = {column:String}
       AND (table = {table:String} OR match(table, {side:String}))
     ORDER BY table`,
    {
      db: ctx.target.database,
      column: spec.done.column,
      table: spec.table,
      side: `^${spec.table}__(new|old)_[0-9a-f]{8}$`,
    },
  );
  return {
    live: found.find((t) => t.table === spec.table)?.type,
    side: found.filter((t) => t.table !== spec.table).map((t) => ({ name: t.table, type: t.type })),
  };
}

/**
 * Copies every active part of `from` into the live table, then any part that appeared while it
 * copied (a merge, copied again harmlessly, or an insert that was in flight at the swap), until
 * none does and no insert that started before the copy is still running: only those can have
 * been writing to `from`, since every later one names the live table.
 */
async function copyParts(
  ctx: MigrationContext,
  spec: TableRebuild & { copy: NonNullable<TableRebuild['copy']> },
  from: string,
): Promise<void> {
  const [{ started } = { started: '' }] = await ctx.rows<{ started: string }>(
    'SELECT toString(now64(3)) AS started',
  );
  const { cluster } = ctx.target;
  // On a cluster, parts inserted on another replica reach this one asynchronously: wait for
  // them before listing (and look for inserts still running on every replica).
  const syncReplica = async () => {
    if (cluster) await ctx.command(`SYSTEM SYNC REPLICA {db}.${from}`);
  };
  const processes = cluster
    ? `clusterAllReplicas(${cluster}, system.processes)`
    : 'system.processes';
  const copied = new Set<string>();
  const copyNewParts = async (): Promise<boolean> => {
    const parts = await ctx.rows<{ name: string }>(
      `SELECT name FROM system.parts
       WHERE database = {db:String} AND table = {table:String} AND active`,
      { db: ctx.target.database, table: from },
    );
    const todo = parts.map((p) => p.name).filter((name) => !copied.has(name));
    if (todo.length === 0) return false;
    await ctx.command(
      `INSERT INTO {db}.${spec.table} (${spec.copy.columns.join(', ')})
       SELECT ${spec.copy.select.join(', ')} FROM {db}.${from} WHERE _part IN {parts:Array(String)}
       SETTINGS max_partitions_per_insert_block = 0`,
      { parts: todo },
    );
    for (const name of todo) copied.add(name);
    return true;
  };
  await syncReplica();
  for (let pass = 0; pass < 20 && (await copyNewParts()); pass++);
  for (let waited = 0; waited < 600; waited++) {
    const [{ running } = { running: 0 }] = await ctx.rows<{ running: number }>(
      `SELECT count() AS running FROM ${processes}
       WHERE query_kind = 'Insert' AND position(query, {db:String}) > 0
         AND elapsed > dateDiff('millisecond', toDateTime64({started:String}, 3), now64(3)) / 1000`,
      { db: ctx.target.database, started },
    );
    if (Number(running) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await syncReplica();
  await copyNewParts();
}

/** Brings `spec.table` to its new shape, keeping every row; see the file comment. */
export async function rebuildTable(ctx: MigrationContext, spec: TableRebuild): Promise<void> {
  const rename = (from: string, to: string) =>
    racing(ctx.command(`RENAME TABLE {db}.${from} TO {db}.${to}`));
  for (let round = 0; round < 50; round++) {
    const { live, side } = await stateOf(ctx, spec);
    if (live === undefined) {
      // Between another migrator's two renames, or a crash there: put a table back in place,
      // one already in the new shape if there is one. The others are copied in below.
      const back = side.find((t) => t.type === spec.done.type) ?? side[0];
      if (back) await rename(back.name, spec.table);
      else await ctx.command(spec.create(spec.table));
      continue;
    }
    if (live !== spec.done.type) {
      const id = randomBytes(4).toString('hex');
      await ctx.command(spec.create(`${spec.table}__new_${id}`));
      await rename(spec.table, `${spec.table}__old_${id}`);
      await rename(`${spec.table}__new_${id}`, spec.table);
      continue;
    }
    if (side.length === 0) return;
    for (const { name } of side) {
      // Dropped only once copied: if the live table went away mid-copy, look again first.
      const copied = spec.copy
        ? await racing(copyParts(ctx, { ...spec, copy: spec.copy }, name))
        : true;
      if (!copied) break;
      await ctx.command(`DROP TABLE IF EXISTS {db}.${name}`);
    }
  }
  throw new Error(`${spec.table}: the copy-and-swap did not settle after 50 rounds`);
}

/** True once the live table has its new shape. */
export async function isRebuilt(ctx: MigrationContext, spec: TableRebuild): Promise<boolean> {
  return (await stateOf(ctx, spec)).live === spec.done.type;
}
