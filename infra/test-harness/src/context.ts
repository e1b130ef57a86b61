/**
 * What a test needs to reach the real services, as set up by global-setup.ts, plus names that
 * are unique to this run (topics, databases) so parallel or repeated runs never share data.
 */
import { randomBytes } from 'node:crypto';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';

export interface TestServices {
  kafkaBrokers: string[];
  clickhouseUrl: string;
  runId: string;
}

export function testServices(): TestServices {
  const { KAFKA_BROKERS, CLICKHOUSE_URL, WAYMARK_TEST_RUN_ID } = process.env;
  if (!KAFKA_BROKERS || !CLICKHOUSE_URL || !WAYMARK_TEST_RUN_ID) {
    throw new Error(
      'test services are not set up: run tests through the root vitest config (npm test), whose global setup starts them',
    );
  }
  return {
    kafkaBrokers: KAFKA_BROKERS.split(',').map((b) => b.trim()),
    clickhouseUrl: CLICKHOUSE_URL,
    runId: WAYMARK_TEST_RUN_ID,
  };
}

/** A topic name owned by this run; `label` says what it is for. Deleted at teardown. */
export function uniqueTopic(label: string): string {
  return `${runPrefix('-')}-${label}-${randomBytes(3).toString('hex')}`;
}

/** A ClickHouse database name owned by this run. Dropped at teardown. */
export function uniqueDatabase(label: string): string {
  return `${runPrefix('_')}_${label.replace(/[^a-zA-Z0-9_]/g, '_')}_${randomBytes(3).toString('hex')}`;
}

/** `wmt<sep><runId>`: the prefix teardown uses to find what this run created. */
export function runPrefix(separator: '-' | '_', runId = testServices().runId): string {
  return `wmt${separator}${runId}`;
}

/** A ClickHouse client for assertions; quiet, because tests poll tables that do not exist yet. */
export function testClickHouse(database?: string): ClickHouseClient {
  return createClient({
    url: testServices().clickhouseUrl,
    ...(database ? { database } : {}),
    log: { level: ClickHouseLogLevel.OFF },
  });
}
