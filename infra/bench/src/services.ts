/**
 * The real services as child processes (their built `dist/main.js`), on free loopback ports,
 * each with the bench run's own topic / database, and the clean-up of what a run created.
 */

import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient } from '@waymark/kit/clickhouse';
import { createKafka } from '@waymark/kit/kafka';
import { eventually, freePort, type ServiceProcess, startService } from '@waymark/test-harness';
import type { Kafka } from 'kafkajs';
import { benchProjects } from './payload.js';
import type { BenchContext } from './report-types.js';

export interface RunningService extends ServiceProcess {
  url: string;
}

async function startAndWait(
  pkg: string,
  portVar: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<RunningService> {
  const port = await freePort();
  const service = startService(pkg, { ...env, [portVar]: String(port), LOG_LEVEL: 'error' });
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(
      async () => {
        if (service.child.exitCode !== null) {
          throw new Error(`${pkg} exited: ${service.output().slice(-2000)}`);
        }
        const res = await fetch(`${url}${readyPath}`);
        return res.ok ? true : undefined;
      },
      { timeoutMs: 60_000, what: `${pkg} ready on ${url}${readyPath}` },
    );
  } catch (err) {
    await service.stop('SIGKILL');
    throw err;
  }
  return { ...service, url };
}

export function startCollector(
  ctx: BenchContext,
  topic: string,
  extra: Record<string, string> = {},
): Promise<RunningService> {
  return startAndWait(
    'collector',
    'COLLECTOR_PORT',
    {
      KAFKA_BROKERS: ctx.kafkaBrokers.join(','),
      KAFKA_EVENTS_TOPIC: topic,
      KAFKA_INVALID_EVENTS_TOPIC: `${topic}.invalid`,
      WAYMARK_PROJECTS: benchProjects(),
      // A benchmark measures throughput, not the abuse limits.
      COLLECTOR_RATE_LIMIT_PER_KEY: '0',
      COLLECTOR_RATE_LIMIT_PER_IP: '0',
      ...extra,
    },
    '/ready',
  );
}

export function startProcessor(
  ctx: BenchContext,
  topic: string,
  database: string,
  group: string,
  extra: Record<string, string> = {},
): Promise<RunningService> {
  return startAndWait(
    'processor',
    'PROCESSOR_PORT',
    {
      KAFKA_BROKERS: ctx.kafkaBrokers.join(','),
      KAFKA_EVENTS_TOPIC: topic,
      KAFKA_CONSUMER_GROUP: group,
      CLICKHOUSE_URL: ctx.clickhouseUrl,
      CLICKHOUSE_DATABASE: database,
      ...extra,
    },
    '/health',
  );
}

export function startDashboards(ctx: BenchContext, database: string): Promise<RunningService> {
  return startAndWait(
    'dashboards',
    'DASHBOARDS_PORT',
    {
      CLICKHOUSE_URL: ctx.clickhouseUrl,
      CLICKHOUSE_DATABASE: database,
      WAYMARK_PROJECTS: benchProjects(),
    },
    '/api/v1/openapi.json',
  );
}

export function benchClickHouse(ctx: BenchContext, database?: string): ClickHouseClient {
  return createClickHouseClient({
    url: ctx.clickhouseUrl,
    ...(database ? { database } : {}),
    requestTimeoutMs: 600_000,
  });
}

export function benchKafka(ctx: BenchContext): Kafka {
  return createKafka({ clientId: 'waymark-bench', brokers: ctx.kafkaBrokers });
}

/** Counts rows as queries see them: one per (project, messageId). */
export async function distinctStored(ch: ClickHouseClient, database: string): Promise<number> {
  const rs = await ch.query({
    query: `SELECT uniqExact(message_id) AS n FROM ${database}.events`,
    format: 'JSONEachRow',
  });
  const rows = (await rs.json()) as { n: string | number }[];
  return Number(rows[0]?.n ?? 0);
}

/** Drops the run's databases and deletes its topics (names start with the run id). */
export async function cleanUp(ctx: BenchContext): Promise<void> {
  const ch = benchClickHouse(ctx);
  try {
    const rs = await ch.query({ query: 'SHOW DATABASES', format: 'JSONEachRow' });
    const dbs = ((await rs.json()) as { name: string }[]).map((r) => r.name);
    for (const db of dbs.filter((d) => d.startsWith(ctx.runId))) {
      await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    }
  } finally {
    await ch.close();
  }
  const admin = benchKafka(ctx).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(ctx.runId));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
