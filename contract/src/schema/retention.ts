/**
 * Data retention per project: rows of `events` and `identities` older than their project's
 * retention period are deleted by ClickHouse itself (table TTL), in background merges.
 *
 * One TTL rule per distinct period, each `DELETE WHERE project_id IN (…)` for the projects with
 * that period, and one for every other project with the default: a project matches exactly one
 * rule. Projects come from configuration, not from the schema's history, so this is not a
 * migration: the processor applies it at start (after migrations) when the configured periods
 * differ from those applied last, which the table's comment records — an unchanged
 * configuration costs one read of `system.tables`. A changed one rewrites the TTL, and ClickHouse
 * recomputes expiry for the stored parts (a mutation, in the background).
 *
 * `identities` rows expire by when the link was made; the processor writes a link again for
 * every event that carries both ids, so a person who keeps coming back keeps their link.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { TABLES } from './columns.js';
import { migrationContext } from './context.js';
import { assertIdentifier } from './render.js';

/** Two years: long enough for year-over-year comparisons, short of keeping data forever. */
export const DEFAULT_RETENTION_DAYS = 730;

export interface RetentionSpec {
  defaultDays: number;
  /** Project id → days, for projects whose period differs from the default. */
  projects: Readonly<Record<string, number>>;
}

/** Project ids are `[a-z0-9_-]` (projects.ts): safe inside a quoted SQL literal. */
const PROJECT_ID = /^[a-z0-9][a-z0-9_-]*$/;

/** The TTL clause of a table whose time column is `column`. */
export function retentionTtl(spec: RetentionSpec, column: string): string {
  const byDays = new Map<number, string[]>();
  for (const [project, days] of Object.entries(spec.projects)) {
    if (!PROJECT_ID.test(project)) throw new Error(`not a project id: ${JSON.stringify(project)}`);
    if (days === spec.defaultDays) continue;
    byDays.set(days, [...(byDays.get(days) ?? []), project]);
  }
  // On the DateTime64(3) column itself, whose range runs to 2299: a DateTime (to 2106) would
  // wrap a long period around into the past and expire rows at once.
  const expiry = (days: number) => `${column} + toIntervalDay(${Math.trunc(days)})`;
  const listed = [...byDays.values()].flat();
  const list = (ids: string[]) => `(${ids.map((id) => `'${id}'`).join(', ')})`;
  const rules = [...byDays.entries()]
    .sort(([a], [b]) => a - b)
    .map(([days, ids]) => `${expiry(days)} DELETE WHERE project_id IN ${list(ids.sort())}`);
  rules.push(
    listed.length === 0
      ? `${expiry(spec.defaultDays)} DELETE`
      : `${expiry(spec.defaultDays)} DELETE WHERE project_id NOT IN ${list(listed.sort())}`,
  );
  return rules.join(',\n    ');
}

/** What the comment of a table under this spec says (compared to skip an unchanged spec). */
export function retentionComment(spec: RetentionSpec): string {
  const projects = Object.fromEntries(
    Object.entries(spec.projects)
      .filter(([, days]) => days !== spec.defaultDays)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return `waymark retention ${JSON.stringify({ defaultDays: spec.defaultDays, projects })}`;
}

const TABLE_TIME_COLUMNS = [
  [TABLES.events, 'timestamp'],
  [TABLES.identities, 'timestamp'],
] as const;

/**
 * Sets the tables' TTL to `spec` where it is not already; returns the tables changed.
 * `cluster`: render the statements ON CLUSTER, as migrations do.
 */
export async function applyRetention(
  client: ClickHouseClient,
  database: string,
  spec: RetentionSpec,
  options: { cluster?: string } = {},
): Promise<string[]> {
  assertIdentifier(database, 'database');
  const ctx = migrationContext(client, {
    database,
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  const comment = retentionComment(spec);
  const current = await ctx.rows<{ name: string; comment: string }>(
    `SELECT name, comment FROM system.tables WHERE database = {database:String}`,
    { database },
  );
  const changed: string[] = [];
  for (const [table, column] of TABLE_TIME_COLUMNS) {
    if (current.find((t) => t.name === table)?.comment === comment) continue;
    await ctx.command(`ALTER TABLE {db}.${table} MODIFY TTL ${retentionTtl(spec, column)}`);
    // DDL takes no query parameters: the comment is a literal (JSON of project ids and numbers).
    const literal = comment.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
    await ctx.command(`ALTER TABLE {db}.${table} MODIFY COMMENT '${literal}'`);
    changed.push(table);
  }
  return changed;
}
