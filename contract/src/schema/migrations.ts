import type { ClickHouseClient } from '@clickhouse/client';
import {
  type Columns,
  columnsDdl,
  ENTRY_TOUCHES_V3,
  ERASURES_V6,
  EVENT_COLUMNS,
  EVENTS_V1,
  EVENTS_V4,
  IDENTITIES_V2,
  IDENTITIES_V4,
  JOURNEY_DAYS_V3,
  JOURNEY_DAYS_V4,
  SUPPRESSIONS_V6,
  TABLES,
} from './columns.js';
import { type MigrationContext, migrationContext } from './context.js';
import { isRebuilt, rebuildTable, type TableRebuild } from './rebuild.js';
import { assertIdentifier, renderStatement } from './render.js';
import { deviceChangesSelect, SUMMARY_TABLES_DDL } from './summaries.js';

/** The entry touch of an event, as a hash: `entry_touches` maps it back to its columns. */
const ENTRY_TOUCH =
  'cityHash64(first_channel, first_campaign, session_channel, session_campaign, device_type)';

/** One journey_days row per group of `events` rows (the view's and the backfill's query). */
const JOURNEY_DAYS_SELECT = `SELECT
        project_id,
        toDate(timestamp) AS day,
        cityHash64(anonymous_id) AS device,
        is_bot,
        device_type,
        type,
        if(type = 'track', event, '') AS track_event,
        minState(timestamp) AS first_at,
        argMinState(${ENTRY_TOUCH}, timestamp) AS entry_touch,
        groupArrayStateIf(cityHash64(anonymous_id, session_id), type = 'page') AS page_sessions,
        groupArrayStateIf(toUInt32(timestamp), type = 'page') AS page_times,
        groupArrayStateIf(cityHash64(message_id), type = 'page') AS page_messages
      FROM {db}.${TABLES.events}
      GROUP BY project_id, day, device, is_bot, device_type, type, track_event`;

const ENTRY_TOUCHES_SELECT = `SELECT
        project_id,
        ${ENTRY_TOUCH} AS touch,
        first_channel, first_campaign, session_channel, session_campaign, device_type
      FROM {db}.${TABLES.events}
      GROUP BY project_id, touch, first_channel, first_campaign, session_channel, session_campaign, device_type`;

/**
 * The rollups' views over events, then their backfill from events (migrations 3 and 4, which
 * runs them again after swapping events). Views first: an event inserted in between is in
 * both, which migration 3's comment makes harmless; one inserted before is in the backfill.
 */
const ROLLUP_VIEWS_AND_BACKFILL = [
  `CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.${TABLES.journeyDays}_mv TO {db}.${TABLES.journeyDays}
      AS ${JOURNEY_DAYS_SELECT}`,
  `CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.${TABLES.entryTouches}_mv TO {db}.${TABLES.entryTouches}
      AS ${ENTRY_TOUCHES_SELECT}`,
  `INSERT INTO {db}.${TABLES.journeyDays} ${JOURNEY_DAYS_SELECT}
      SETTINGS max_bytes_before_external_group_by = 1000000000`,
  `INSERT INTO {db}.${TABLES.entryTouches} ${ENTRY_TOUCHES_SELECT}`,
];

/**
 * A step that looks before it acts (a copy-and-swap, a statement that must run only while a
 * table still has its old shape). Like a statement, it must be safe to run again after a crash
 * at any point and while another processor runs it too.
 */
export interface MigrationStep {
  /** What it does, for logs and docs. */
  describe: string;
  run: (ctx: MigrationContext) => Promise<void>;
}

export interface Migration {
  version: number;
  name: string;
  /** Statements, each idempotent (IF NOT EXISTS), run in order. `{db}` is the database. */
  statements: readonly string[];
  /** Run after the statements, in order: plain statements again, or steps that look first. */
  steps?: readonly (string | MigrationStep)[];
}

/** The events table (see migration 1) under a name, with one version's columns. */
const eventsTable = (name: string, columns: Columns) => `CREATE TABLE IF NOT EXISTS {db}.${name} (
        ${columnsDdl(columns)}
      ) ENGINE = ReplacingMergeTree()
      PARTITION BY toYYYYMM(timestamp)
      ORDER BY (project_id, anonymous_id, timestamp, message_id)`;

/** The journey_days rollup (see migration 3) under a name, with one version's columns. */
const journeyDaysTable = (
  name: string,
  columns: Columns,
) => `CREATE TABLE IF NOT EXISTS {db}.${name} (
        ${columnsDdl(columns)}
      ) ENGINE = AggregatingMergeTree()
      PARTITION BY toYYYYMM(day)
      ORDER BY (project_id, day, device, is_bot, device_type, type, track_event)`;

/** events in its current shape (migration 4): migration 1's table, millisecond timestamps. */
const createEvents = (name: string) => eventsTable(name, EVENTS_V4);

/** journey_days in its current shape (migration 4): migration 3's rollup, millisecond states. */
const createJourneyDays = (name: string) => journeyDaysTable(name, JOURNEY_DAYS_V4);

// The columns whose type migration 4 changes (the timestamps).
const TIMESTAMP_COLUMNS = new Set<string>(
  EVENT_COLUMNS.filter((c) => EVENTS_V1[c] !== EVENTS_V4[c]),
);

const EVENTS_REBUILD: TableRebuild = {
  table: TABLES.events,
  create: createEvents,
  done: { column: 'timestamp', type: EVENTS_V4.timestamp },
  copy: {
    columns: EVENT_COLUMNS,
    // The processor wrote UTC wall-clock text into the old DateTime columns, which the server
    // read in its own time zone; reading that text back as UTC gives the instant meant, on a
    // server in any time zone (on a UTC server it is the same instant either way).
    select: EVENT_COLUMNS.map((c) =>
      TIMESTAMP_COLUMNS.has(c) ? `toDateTime64(toString(${c}), 3, 'UTC') AS ${c}` : c,
    ),
  },
};

// Derived from events: rebuilt by the backfill below, so old copies are dropped unread.
const JOURNEY_DAYS_REBUILD: TableRebuild = {
  table: TABLES.journeyDays,
  create: createJourneyDays,
  done: { column: 'first_at', type: JOURNEY_DAYS_V4.first_at },
};

const VIEWS_READING_EVENTS = [`${TABLES.journeyDays}_mv`, `${TABLES.entryTouches}_mv`];

/**
 * The schema's history, append-only: a shipped migration is never edited, a change is a new
 * version. Migrations 1–3 were written for ClickHouse 18.16; from 4 on, statements target
 * current releases (24.8 LTS and later).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    statements: [
      // PARTITION BY month: a date-range query reads only the months it covers, and retention
      // drops whole months (ALTER TABLE … DROP PARTITION) instead of rewriting data.
      //
      // ORDER BY (project_id, anonymous_id, timestamp, message_id): every query is within one
      // project, and journeys, funnels and attribution walk one person's events in time order,
      // so a person's rows sit together, already sorted by time, and a project's rows are one
      // contiguous range of the primary index.
      //
      // Duplicates: the processor commits Kafka offsets only after an insert, so a crash replays
      // the batch in flight, and a client retry through the collector re-sends a messageId. A
      // replayed Kafka message becomes a byte-identical row (enrichment is deterministic), which
      // ReplacingMergeTree collapses in a background merge. A client retry may carry a timestamp
      // a second off (it is corrected with the retry's sentAt / receivedAt), so it can keep its
      // own row, as can a duplicate landing in another monthly partition. Merges are therefore a
      // space saving, never the correctness mechanism, and FINAL is not exact either: queries
      // read events through `LIMIT 1 BY project_id, message_id` or count `uniqExact(message_id)`
      // (schema/dedupe.ts), which is exact before and after merges.
      eventsTable(TABLES.events, EVENTS_V1),
    ],
  },
  {
    version: 2,
    name: 'identities',
    statements: [
      // One row per link (anonymous id → user id) and project: repeated identify calls and
      // replays collapse in merges; readers take argMax(user_id, timestamp) per anonymous id
      // (schema/dedupe.ts), which is exact before merges too. Small table: no partitions.
      `CREATE TABLE IF NOT EXISTS {db}.${TABLES.identities} (
        ${columnsDdl(IDENTITIES_V2)}
      ) ENGINE = ReplacingMergeTree()
      ORDER BY (project_id, anonymous_id, user_id)`,
    ],
  },
  {
    version: 3,
    name: 'journey rollup',
    statements: [
      // The funnel's hot path over `events` groups ten million rows by a string id with string
      // aggregates (seconds at 10 M). This rollup keeps, per project, UTC day, device (a hash of
      // the anonymous id), bot flag, device type and event kind (type, plus the event name for
      // `track`), the first moment of that kind that day, the entry touch (a hash, see
      // entry_touches) at the device's earliest event, and each page view as (session,
      // second, message) — everything the stage rules need, yet nothing rule-specific: rules are
      // still evaluated at query time, so a changed rule applies to history.
      //
      // Duplicate safety: min and argMin of a replayed or retried row give the same answer (the
      // earliest copy), and the page arrays carry the message hash so readers keep each page
      // view once (the same way the queries over `events` always did). So an event counted by
      // both the view and the backfill, or replayed by the processor, never counts twice.
      // Device, session and message are 64-bit cityHash64 values, as the page-view logic already
      // used for sessions and messages.
      journeyDaysTable(TABLES.journeyDays, JOURNEY_DAYS_V3),
      // The entry touches by hash: a handful of rows per project (channels × campaigns ×
      // devices); replays collapse in merges and readers take any copy (they are identical).
      `CREATE TABLE IF NOT EXISTS {db}.${TABLES.entryTouches} (
        ${columnsDdl(ENTRY_TOUCHES_V3)}
      ) ENGINE = ReplacingMergeTree()
      ORDER BY (project_id, touch)`,
      // Views first, then the backfill: an event inserted in between is in both, which the
      // comment above makes harmless; one inserted before is in the backfill.
      ...ROLLUP_VIEWS_AND_BACKFILL,
    ],
  },
  {
    version: 4,
    name: 'millisecond timestamps',
    statements: [],
    // events.timestamp is in the partition and sorting keys, so ALTER cannot change its type:
    // events is copied into a new table and swapped (rebuild.ts). The rollup's states take the
    // new type too — minState / argMinState of a DateTime64(3) column are states over
    // DateTime64(3), and keeping DateTime states would need a cast in the views that migration
    // 3's backfill statements do not have (they must stay valid: a replayed backfill is how a
    // rollup is repaired), and would lose the sub-second order of entry touches. page_times
    // stays whole seconds (UInt32): the queries compare it with other epoch seconds.
    //
    // The views reading events are dropped before the swaps (a view follows a renamed source
    // table by its UUID, so it would keep feeding from the old one) and created again after;
    // then both rollups are backfilled from events. Events inserted while no view exists are in
    // events by then, so the backfill has them: none escapes the rollup. An event in both the
    // view and the backfill is harmless (migration 3's comment). Readers see a partial events
    // table while it is copied and a partial rollup while it is backfilled.
    steps: [
      {
        describe: 'drop the views reading events, while events or journey_days has its old shape',
        run: async (ctx) => {
          const done =
            (await isRebuilt(ctx, EVENTS_REBUILD)) && (await isRebuilt(ctx, JOURNEY_DAYS_REBUILD));
          if (done) return;
          for (const view of VIEWS_READING_EVENTS) {
            await ctx.command(`DROP VIEW IF EXISTS {db}.${view}`);
          }
        },
      },
      {
        describe: 'copy events into millisecond timestamps and swap',
        run: (ctx) => rebuildTable(ctx, EVENTS_REBUILD),
      },
      {
        describe: 'swap journey_days for millisecond states',
        run: (ctx) => rebuildTable(ctx, JOURNEY_DAYS_REBUILD),
      },
      // Not in any key: ALTER rewrites the column in place (a no-op once done).
      `ALTER TABLE {db}.${TABLES.identities} MODIFY COLUMN timestamp ${IDENTITIES_V4.timestamp}`,
      ...ROLLUP_VIEWS_AND_BACKFILL,
    ],
  },
  {
    version: 5,
    name: 'sessions for every source: drop the per-day rollups',
    // journey_days and entry_touches (migration 3) keyed a device by its anonymous id alone (every
    // userId-only event of a project fell into one device) and a page view's session by the
    // SDK's session id (every event of a Segment or server library into one session per
    // device). Sessions for every source are computed at query time from all of a device's
    // events (dashboards/src/queries/timeline.ts says why), which a per-day rollup cannot hold,
    // so the funnel and drop-off read the events again and the rollups, no longer read by any
    // question, stop costing every insert: views first, so no insert feeds a dropped table.
    // (A rollup shaped for query-time sessions is the performance issue's to add.) Dropping is
    // idempotent; a replayed migration 3 or 4 on a database that ran 5 is never attempted,
    // since applied versions are skipped.
    statements: [
      `DROP VIEW IF EXISTS {db}.${TABLES.journeyDays}_mv`,
      `DROP VIEW IF EXISTS {db}.${TABLES.entryTouches}_mv`,
      `DROP TABLE IF EXISTS {db}.${TABLES.journeyDays}`,
      `DROP TABLE IF EXISTS {db}.${TABLES.entryTouches}`,
    ],
  },
  {
    version: 6,
    name: 'erasure',
    statements: [
      // The ids of erased people, hashed with their project and kind (erasure.ts): the processor
      // drops any event carrying one, so a replay of Kafka records cannot bring a person back.
      // Small (one row per erased id); replays of an erasure collapse in merges.
      `CREATE TABLE IF NOT EXISTS {db}.${TABLES.suppressions} (
        ${columnsDdl(SUPPRESSIONS_V6)}
      ) ENGINE = ReplacingMergeTree()
      ORDER BY (project_id, id_kind, id_hash)`,
      // One row per erasure, kept as the audit trail (no TTL): who asked, when, how many rows
      // went, and the ids as hashes — no personal data.
      `CREATE TABLE IF NOT EXISTS {db}.${TABLES.erasures} (
        ${columnsDdl(ERASURES_V6)}
      ) ENGINE = MergeTree()
      ORDER BY (project_id, requested_at, erasure_id)`,
    ],
  },
  {
    version: 7,
    name: 'device summaries',
    // Each device's timeline computed once by the processor's summarizer, read by the questions
    // for every device not changed since (summaries.ts says how both stay exact). The view
    // first, then every device already stored marked changed — spread over the ten minutes
    // before now so the summarizer can take them in windows — so the first summaries cover
    // history; until then the questions read those devices' events, as before.
    statements: [
      ...SUMMARY_TABLES_DDL,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.${TABLES.deviceChanges}_mv TO {db}.${TABLES.deviceChanges}
      AS ${deviceChangesSelect(`{db}.${TABLES.events}`, "now64(3, 'UTC')")}`,
      `INSERT INTO {db}.${TABLES.deviceChanges}
      SELECT project_id, now64(3, 'UTC') - toIntervalMillisecond(device % 600000) AS changed_at, device, device_id, user_only
      FROM (${deviceChangesSelect(`{db}.${TABLES.events}`, "now64(3, 'UTC')")})
      SETTINGS max_bytes_before_external_group_by = 1000000000`,
    ],
  },
];

export interface MigrateOptions {
  /** Render DDL `ON CLUSTER` this cluster, with Replicated engines (render.ts). */
  cluster?: string;
  /** Stop after this version (tests build older schemas with it); all by default. */
  until?: number;
  /** Told when each statement or step of a migration is done, and how long it took. */
  onStep?: (done: { version: number; step: string; ms: number }) => void;
}

/**
 * Applies pending migrations in order and records each in the migrations table. Safe when
 * several processors start at once, and after a crash at any statement: every statement is
 * idempotent, every step looks before it acts, and the migrations table collapses duplicate
 * records of a version.
 */
export async function migrate(
  client: ClickHouseClient,
  database: string,
  options: MigrateOptions = {},
): Promise<number[]> {
  assertIdentifier(database, 'database');
  const target = { database, ...(options.cluster ? { cluster: options.cluster } : {}) };
  const ctx = migrationContext(client, target);
  if (target.cluster) await assertOneShard(ctx, target.cluster);
  await ctx.command('CREATE DATABASE IF NOT EXISTS {db}');
  await ctx.command(MIGRATIONS_TABLE);
  const applied = new Set(await appliedVersions(client, database));
  const ran: number[] = [];
  for (const migration of MIGRATIONS) {
    if (options.until !== undefined && migration.version > options.until) break;
    if (applied.has(migration.version)) continue;
    for (const step of [...migration.statements, ...(migration.steps ?? [])]) {
      const started = performance.now();
      if (typeof step === 'string') await ctx.command(step);
      else await step.run(ctx);
      options.onStep?.({
        version: migration.version,
        step: typeof step === 'string' ? step.replace(/\s+/g, ' ').slice(0, 80) : step.describe,
        ms: Math.round(performance.now() - started),
      });
    }
    await client.insert({
      table: `${database}.${TABLES.migrations}`,
      values: [{ version: migration.version, name: migration.name }],
      format: 'JSONEachRow',
    });
    ran.push(migration.version);
  }
  return ran;
}

/** A migration cannot proceed on this server as configured: retrying will not help. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * The copy-and-swap migrations copy on the server they talk to, which holds one shard's rows:
 * on a cluster of several shards they run once per shard (processor README), never across all.
 */
async function assertOneShard(ctx: MigrationContext, cluster: string): Promise<void> {
  const [found] = await ctx.rows<{ shards: number | string }>(
    'SELECT uniqExact(shard_num) AS shards FROM system.clusters WHERE cluster = {cluster:String}',
    { cluster },
  );
  const shards = Number(found?.shards ?? 0);
  if (shards === 0)
    throw new MigrationError(`CLICKHOUSE_CLUSTER: the server knows no cluster "${cluster}"`);
  if (shards > 1) {
    throw new MigrationError(
      `CLICKHOUSE_CLUSTER: cluster "${cluster}" has ${shards} shards; migrations copy one shard's rows, so run them once per shard with a cluster of that shard's replicas (processor README, "A cluster")`,
    );
  }
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS {db}.${TABLES.migrations} (
      version UInt32, name String, applied_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree() ORDER BY version`;

/** Every plain statement of every migration as it would run on `target` (for docs and tests). */
export function renderedStatements(target: { database: string; cluster?: string }): string[] {
  return [
    'CREATE DATABASE IF NOT EXISTS {db}',
    MIGRATIONS_TABLE,
    ...MIGRATIONS.flatMap((m) => [
      ...m.statements,
      ...(m.steps ?? []).filter((s): s is string => typeof s === 'string'),
    ]),
  ].map((statement) => renderStatement(statement, target));
}

export async function appliedVersions(
  client: ClickHouseClient,
  database: string,
): Promise<number[]> {
  const result = await client.query({
    query: `SELECT DISTINCT version FROM ${database}.${TABLES.migrations} ORDER BY version`,
    format: 'JSONEachRow',
  });
  return (await result.json<{ version: number }>()).map((r) => Number(r.version));
}
