/**
 * Chaos: events through collector → Kafka → processor → ClickHouse while the processor is
 * kill -9ed several times, a collector is SIGTERMed mid-load, the Kafka broker is stopped and
 * restarted, and ClickHouse is stopped for a while — on a PRIVATE Kafka + ClickHouse pair, never
 * the shared stack. Clients retry as the SDK does. At the end, the distinct messageIds stored
 * must be exactly the acknowledged ones, and the query API must count no event twice.
 *
 * Size by env: WAYMARK_CHAOS_EVENTS (20,000; the full form is 1,000,000), WAYMARK_CHAOS_RATE
 * (events/s, 500), WAYMARK_CHAOS_CLICKHOUSE_OUTAGE_MS (10,000; the full form is 30,000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { eventually } from '@waymark/test-harness';
import { repoRoot } from '@waymark/test-harness/stack';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { generateLoad, newStats } from './load-generator.js';
import { type PrivateStack, privateStack } from './private-stack.js';
import { type Supervised, supervise } from './supervisor.js';

const settings = z
  .object({
    WAYMARK_CHAOS_EVENTS: z.coerce.number().int().min(1000).max(100_000_000).default(20_000),
    WAYMARK_CHAOS_RATE: z.coerce.number().int().min(50).max(1_000_000).default(500),
    WAYMARK_CHAOS_CLICKHOUSE_OUTAGE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  })
  .parse(process.env);
const EVENTS = settings.WAYMARK_CHAOS_EVENTS;

const PROJECT = 'chaos';
const WRITE_KEY = 'wk_chaos_write_key';
const READ_KEY = 'rk_chaos_read_key_0123456789abcdef';
const TOPIC = 'chaos.events';
const DATABASE = 'chaos';
const projects = JSON.stringify([{ id: PROJECT, writeKeys: [WRITE_KEY], readKeys: [READ_KEY] }]);

let stack: PrivateStack;
const services: Supervised[] = [];

beforeAll(async () => {
  stack = await privateStack();
}, 300_000);

afterAll(async () => {
  for (const s of services) await s.terminate().catch(() => undefined);
  await stack?.destroy();
}, 120_000);

const time = () => new Date().toISOString().slice(11, 19);
const say = (line: string) => console.log(`[chaos ${time()}] ${line}`);

it(`stores every acknowledged event exactly once as queries see it (${EVENTS} events)`, async () => {
  const kafkaEnv = { KAFKA_BROKERS: stack.brokers, KAFKA_EVENTS_TOPIC: TOPIC, LOG_LEVEL: 'error' };
  const collectorEnv = {
    ...kafkaEnv,
    WAYMARK_PROJECTS: projects,
    COLLECTOR_RATE_LIMIT_PER_KEY: '0',
    COLLECTOR_RATE_LIMIT_PER_IP: '0',
    KAFKA_TOPIC_PARTITIONS: '4',
  };
  const a = await supervise('collector', 'COLLECTOR_PORT', '/ready', collectorEnv);
  const b = await supervise('collector', 'COLLECTOR_PORT', '/ready', collectorEnv);
  const processor = await supervise(
    'processor',
    'PROCESSOR_PORT',
    '/health',
    {
      ...kafkaEnv,
      KAFKA_CONSUMER_GROUP: 'chaos-loader',
      // The broker's floor: a killed member's partitions move after 6 s.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      CLICKHOUSE_URL: stack.clickhouseUrl,
      CLICKHOUSE_DATABASE: DATABASE,
      PROCESSOR_RETRY_MAX_MS: '1000',
    },
    (status) => status > 0,
  );
  services.push(a, b, processor);
  const pool = [a, b];

  const stats = newStats();
  const load = generateLoad(
    {
      targets: () => pool.map((c) => c.url()),
      writeKey: WRITE_KEY,
      events: EVENTS,
      eventsPerSecond: settings.WAYMARK_CHAOS_RATE,
    },
    stats,
  );
  const progress = (share: number) =>
    eventually(async () => (stats.acknowledged.size >= share * EVENTS ? true : undefined), {
      timeoutMs: 3_600_000,
      intervalMs: 100,
      what: `${share * 100} % acknowledged`,
    });
  const actions: string[] = [];
  const act = async (what: string, fn: () => Promise<unknown>) => {
    say(`${what} (acknowledged ${stats.acknowledged.size})`);
    await fn();
    actions.push(what);
  };
  const chaos = (async () => {
    await progress(0.1);
    await act('processor kill -9 #1', () => processor.kill9AndRestart());
    await progress(0.2);
    await act('collector A SIGTERM mid-load', async () => {
      const code = await a.terminate();
      pool.splice(pool.indexOf(a), 1);
      expect(code).toBe(0);
    });
    await progress(0.3);
    await act('processor kill -9 #2', () => processor.kill9AndRestart());
    await progress(0.4);
    await act('Kafka broker stopped and restarted', async () => {
      await stack.stopKafka();
      await sleep(3000);
      await stack.startKafka();
    });
    await progress(0.55);
    await act(
      `ClickHouse stopped for ${settings.WAYMARK_CHAOS_CLICKHOUSE_OUTAGE_MS} ms`,
      async () => {
        await stack.stopClickHouse();
        await sleep(settings.WAYMARK_CHAOS_CLICKHOUSE_OUTAGE_MS);
        await stack.startClickHouse();
      },
    );
    await progress(0.7);
    await act('processor kill -9 #3', () => processor.kill9AndRestart());
    await progress(0.85);
    await act('processor kill -9 #4', () => processor.kill9AndRestart());
  })();
  await Promise.all([load, chaos]);
  say(`load done: ${stats.acknowledged.size} acknowledged, ${stats.retries} retries`);

  const ch = createClient({ url: stack.clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
  const counts = async () => {
    const rs = await ch.query({
      query: `SELECT count() AS rows, uniqExact(message_id) AS distinct FROM ${DATABASE}.events`,
      format: 'JSONEachRow',
    });
    const [row] = (await rs.json()) as { rows: string; distinct: string }[];
    return { rows: Number(row?.rows ?? 0), distinct: Number(row?.distinct ?? 0) };
  };
  try {
    const stored = await eventually(
      async () => {
        const c = await counts();
        return c.distinct >= stats.acknowledged.size ? c : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 1000, what: 'every acknowledged event stored' },
    ).catch(async (err: unknown) => {
      say(`not all stored: ${JSON.stringify(await counts())}\n${processor.output().slice(-3000)}`);
      throw err;
    });

    // Exactly the acknowledged ids: none missing, none that no client was told was stored.
    const rs = await ch.query({
      query: `SELECT DISTINCT message_id FROM ${DATABASE}.events`,
      format: 'JSONEachRow',
    });
    let unacknowledgedStored = 0;
    const storedIds = new Set<string>();
    for await (const rows of rs.stream()) {
      for (const row of rows) {
        const { message_id } = row.json() as { message_id: string };
        storedIds.add(message_id);
        if (!stats.acknowledged.has(message_id)) unacknowledgedStored++;
      }
    }
    const lost = [...stats.acknowledged].filter((id) => !storedIds.has(id)).length;

    // The query API over the same data: people and conversions each counted once.
    const api = await supervise('dashboards', 'DASHBOARDS_PORT', '/api/v1/openapi.json', {
      CLICKHOUSE_URL: stack.clickhouseUrl,
      CLICKHOUSE_DATABASE: DATABASE,
      WAYMARK_PROJECTS: projects,
      LOG_LEVEL: 'error',
    });
    services.push(api);
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = new URLSearchParams({ from: day(-1), to: day(1) }).toString();
    const get = async (question: string) => {
      const res = await fetch(`${api.url()}/api/v1/${question}?${range}`, {
        headers: { authorization: `Bearer ${READ_KEY}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as unknown;
    };
    const funnel = z
      .object({ total: z.object({ steps: z.array(z.object({ people: z.number() })) }) })
      .parse(await get('funnel'));
    const attribution = z.object({ conversions: z.number() }).parse(await get('attribution'));
    const summary = {
      events: EVENTS,
      sent: stats.sent,
      acknowledged: stats.acknowledged.size,
      dropped: stats.dropped,
      requests: stats.requests,
      retries: stats.retries,
      statuses: Object.fromEntries(stats.statuses),
      storedRows: stored.rows,
      storedDistinct: stored.distinct,
      duplicateRowsCollapsedByQueries: stored.rows - stored.distinct,
      lost,
      unacknowledgedStored,
      people: { acknowledged: stats.people.size, funnelAwareness: funnel.total.steps[0]?.people },
      conversions: { acknowledged: stats.conversions, attribution: attribution.conversions },
      duplicatesVisible:
        (funnel.total.steps[0]?.people ?? 0) -
        stats.people.size +
        (attribution.conversions - stats.conversions),
      processorCrashesRestarted: processor.crashes(),
      actions,
    };
    say(`summary ${JSON.stringify(summary, null, 2)}`);
    const dir = join(repoRoot, 'infra/chaos/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'chaos-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

    expect(actions).toHaveLength(7);
    expect(stats.dropped).toBe(0);
    expect(stats.sent).toBe(EVENTS);
    expect(lost).toBe(0);
    expect(unacknowledgedStored).toBe(0);
    expect(stored.distinct).toBe(stats.acknowledged.size);
    expect(summary.people.funnelAwareness).toBe(stats.people.size);
    expect(attribution.conversions).toBe(stats.conversions);
  } finally {
    await ch.close();
  }
}, 3_600_000);
