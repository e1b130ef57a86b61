import type { ClickHouseClient } from '@clickhouse/client';
import { TABLES } from './columns.js';

export interface Migration {
  version: number;
  name: string;
  /** Statements, each idempotent (IF NOT EXISTS), run in order. `{db}` is the database. */
  statements: string[];
}

/**
 * The schema's history, append-only: a shipped migration is never edited, a change is a new
 * version. Every statement must run on ClickHouse 18.16 and on current releases.
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
      `CREATE TABLE IF NOT EXISTS {db}.${TABLES.events} (
        project_id String,
        message_id String,
        type String,
        event String,
        anonymous_id String,
        user_id String,
        session_id String,
        timestamp DateTime,
        sent_at DateTime,
        received_at DateTime,
        session_channel String,
        session_source String,
        session_medium String,
        session_campaign String,
        session_term String,
        session_content String,
        session_click_id_type String,
        session_referrer_host String,
        first_channel String,
        first_source String,
        first_medium String,
        first_campaign String,
        first_term String,
        first_content String,
        first_click_id_type String,
        first_referrer_host String,
        page_url String,
        page_path String,
        page_title String,
        page_referrer String,
        referrer_host String,
        revenue Float64,
        currency String,
        order_id String,
        browser String,
        browser_version String,
        os String,
        device_type String,
        locale String,
        ip String,
        is_bot UInt8,
        library String,
        properties String,
        traits String
      ) ENGINE = ReplacingMergeTree()
      PARTITION BY toYYYYMM(timestamp)
      ORDER BY (project_id, anonymous_id, timestamp, message_id)`,
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
        project_id String,
        anonymous_id String,
        user_id String,
        timestamp DateTime,
        message_id String
      ) ENGINE = ReplacingMergeTree()
      ORDER BY (project_id, anonymous_id, user_id)`,
    ],
  },
];

/**
 * Applies pending migrations in order and records each in the migrations table. Safe when
 * several processors start at once: every statement is idempotent, and the migrations table
 * collapses duplicate records of a version.
 */
export async function migrate(client: ClickHouseClient, database: string): Promise<number[]> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.${TABLES.migrations} (
      version UInt32, name String, applied_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree() ORDER BY version`,
  });
  const applied = new Set(await appliedVersions(client, database));
  const ran: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements) {
      await client.command({ query: statement.replaceAll('{db}', database) });
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
