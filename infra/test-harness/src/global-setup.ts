/**
 * Vitest global setup shared by every package (root vitest.config.ts): finds or starts real
 * Kafka and ClickHouse once per run and tears down what this run created.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { ensureChromium } from '@waymark/stack/browser';
import { StackError } from '@waymark/stack/config';
import { Kafka, logLevel } from 'kafkajs';
import { runPrefix } from './context.js';
import { resolveServices } from './services.js';

export default async function setup(): Promise<() => Promise<void>> {
  let services: Awaited<ReturnType<typeof resolveServices>>;
  try {
    // Browser tests (SDK, dashboard) drive Debian's Chromium; install it with the rest.
    ensureChromium();
    services = await resolveServices();
  } catch (err) {
    // A missing prerequisite should read as one line, not as a stack trace from vitest.
    if (err instanceof StackError) throw new Error(`waymark test services: ${err.message}`);
    throw err;
  }
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  // Workers (and the child processes tests spawn) inherit these.
  process.env.KAFKA_BROKERS = services.kafkaBrokers;
  process.env.CLICKHOUSE_URL = services.clickhouseUrl;
  process.env.WAYMARK_TEST_RUN_ID = runId;
  console.log(
    `test services (${services.source}): kafka ${services.kafkaBrokers}, clickhouse ${services.clickhouseUrl}, run ${runId}`,
  );

  return async () => {
    await Promise.allSettled([
      dropRunDatabases(services.clickhouseUrl, runPrefix('_', runId)),
      deleteRunTopics(services.kafkaBrokers, runPrefix('-', runId)),
    ]);
    await services.stop();
  };
}

async function dropRunDatabases(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  try {
    const result = await client.query({
      query: 'SELECT name FROM system.databases',
      format: 'JSONEachRow',
    });
    const names = (await result.json<{ name: string }>()).map((r) => r.name);
    for (const name of names.filter((n) => n.startsWith(prefix))) {
      await client.command({ query: `DROP DATABASE IF EXISTS \`${name}\`` });
    }
  } finally {
    await client.close();
  }
}

async function deleteRunTopics(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
