import type { ClickHouseClient } from '@clickhouse/client';
import { TABLES } from './columns.js';

export interface Migration {
  version: number;
  name: string;
  /** Statements, each idempotent (IF NOT EXISTS), run in order. `{db}` is the database. */
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    statements: [
      // ReplacingMergeTree collapses rows with the same sorting key, and message_id is the last
      // key column, so a batch replayed after a crash merges away; queries that must be exact
      // before merges happen count DISTINCT message_id (or use FINAL).
      // Partitioned by month: old months drop whole, and date-range queries skip partitions.
      // Ordered by project then person then time, which is what funnels and journeys scan.
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
];

/** Applies pending migrations in order and records each; safe to run concurrently on restart. */
export async function migrate(client: ClickHouseClient, database: string): Promise<number[]> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.${TABLES.migrations} (
      version UInt32, name String, applied_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree() ORDER BY version`,
  });
  const result = await client.query({
    query: `SELECT DISTINCT version FROM ${database}.${TABLES.migrations}`,
    format: 'JSONEachRow',
  });
  const applied = new Set((await result.json<{ version: number }>()).map((r) => Number(r.version)));
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
