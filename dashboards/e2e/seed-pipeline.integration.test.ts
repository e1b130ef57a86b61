import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClickHouseClient } from '@waymark/kit/clickhouse';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  eventually,
  type Pipeline,
  startPipeline,
  testServices,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { runSeedCommand } from '../src/cli/seed.js';
import { loadDashboardsConfig } from '../src/config.js';
import { MODELS } from '../src/queries/attribution.js';
import { createQueries } from '../src/queries/index.js';
import type { GroundTruth } from '../src/seed/truth.js';

// Demo journeys through the real pipeline: `waymark seed` → collector (HTTP) → Kafka →
// processor → ClickHouse; then the API's answers must equal the seeder's ground truth.
const services = testServices();
const topic = uniqueTopic('dash-seed');
const database = uniqueDatabase('dash_seed');
const projects = JSON.stringify([
  { id: 'demo', writeKey: 'wk_seed_writer', readKeys: ['rk_seed_reader_0123456789abcdefghij'] },
]);
const clickhouse = createClickHouseClient({
  url: services.clickhouseUrl,
  requestTimeoutMs: 30_000,
});
const truthFile = join(mkdtempSync(join(tmpdir(), 'waymark-seed-')), 'truth.json');
let pipeline: Pipeline;
let collectorUrl: string;
let app: FastifyInstance;
let truth: GroundTruth | undefined;

beforeAll(async () => {
  pipeline = await startPipeline({ topic, database, projects });
  collectorUrl = pipeline.collectorUrl;
  const config = loadDashboardsConfig({
    CLICKHOUSE_URL: services.clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
    WAYMARK_PROJECTS: projects,
  });
  app = await buildApp(config, { queries: createQueries(clickhouse, database) });
});

afterAll(async () => {
  await app?.close();
  await pipeline?.stop();
  await clickhouse.close();
});

const api = async <T>(path: string): Promise<T> => {
  const response = await app.inject({
    method: 'GET',
    url: path,
    headers: { authorization: 'Bearer rk_seed_reader_0123456789abcdefghij' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
};

it('answers exactly what the seeded journeys imply', { timeout: 120_000 }, async () => {
  const env = {
    WAYMARK_PROJECTS: projects,
    CLICKHOUSE_URL: services.clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
  };
  const args = [
    '--people',
    '300',
    '--days',
    '20',
    '--end',
    '2026-11-20',
    '--seed',
    '11',
    '--collector',
    collectorUrl,
    '--truth',
    truthFile,
  ];
  const summary = await runSeedCommand(args, env);
  expect(summary).toMatch(/^sent \d+ events for 300 people/);
  const sent = Number(/^sent (\d+)/.exec(summary)?.[1]);
  const expected = JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth;
  truth = expected;

  // Everything loaded, identity links included (an identify event per linked device).
  await eventually(
    async () => {
      const result = await clickhouse.query({
        query: `SELECT
          (SELECT uniqExact(message_id) FROM ${database}.events) AS events,
          (SELECT uniqExact(message_id) FROM ${database}.events WHERE type = 'identify') AS identifies,
          (SELECT uniqExact(anonymous_id) FROM ${database}.identities) AS links`,
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ events: string; identifies: string; links: string }>();
      return Number(row?.events) === sent && row?.identifies === row?.links ? true : undefined;
    },
    {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: `${sent} events in ClickHouse (processor: ${pipeline.processor.output()})`,
    },
  );

  // A second run with --if-empty sends nothing.
  expect(await runSeedCommand([...args, '--if-empty'], env)).toMatch(/already has events/);

  const range = `from=${expected.range.from}&to=${expected.range.to}`;
  const funnel = await api<{
    total: { steps: { people: number }[] };
    groups: { key: string; steps: { people: number }[] }[];
  }>(`/api/v1/funnel?${range}&breakdown=first_channel`);
  expect(funnel.total.steps.map((s) => s.people)).toEqual(expected.stages.total);
  expect(
    Object.fromEntries(funnel.groups.map((g) => [g.key, g.steps.map((s) => s.people)])),
  ).toEqual(expected.stages.byFirstChannel);

  const attribution = await api<{
    conversions: number;
    revenue: number;
    channels: {
      channel: string;
      models: Record<string, { conversions: number; revenue: number }>;
    }[];
  }>(`/api/v1/attribution?${range}&lookback=30&halfLife=7`);
  expect(attribution.conversions).toBe(expected.conversions);
  expect(attribution.revenue).toBeCloseTo(expected.revenue, 6);
  for (const model of MODELS) {
    for (const channel of attribution.channels) {
      const credit = expected.attribution[model][channel.channel] ?? { conversions: 0, revenue: 0 };
      expect(channel.models[model]?.conversions, `${model} ${channel.channel}`).toBeCloseTo(
        credit.conversions,
        6,
      );
      expect(channel.models[model]?.revenue, `${model} ${channel.channel} revenue`).toBeCloseTo(
        credit.revenue,
        6,
      );
    }
    const credited = Object.keys(expected.attribution[model]).filter(
      (c) => (expected.attribution[model][c]?.conversions ?? 0) > 0,
    );
    expect(attribution.channels.map((c) => c.channel)).toEqual(expect.arrayContaining(credited));
  }
});

it('shows the seeded funnel in Chromium for a chosen range and channel', {
  timeout: 60_000,
}, async () => {
  const seeded = truth;
  if (!seeded) throw new Error('needs the seeded data of the test above');
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    await page.goto(`${base}/#key=rk_seed_reader_0123456789abcdefghij`);
    await page.waitForSelector(
      '#funnel[data-state]:not([data-state="idle"]):not([data-state="loading"])',
    );
    await page.fill('#from', seeded.range.from);
    await page.fill('#to', seeded.range.to);
    await page.selectOption('#channel', 'paid');
    for (const panel of ['funnel', 'dropoff', 'attribution', 'trends', 'retention']) {
      await page.waitForSelector(`#${panel}[data-state="ready"]`);
    }
    const onScreen = await Promise.all(
      ['awareness', 'engagement', 'transaction', 'retention'].map(async (stage) =>
        Number(await page.textContent(`[data-testid="funnel-people-${stage}"]`)),
      ),
    );
    const fromApi = await api<{ total: { steps: { people: number }[] } }>(
      `/api/v1/funnel?from=${seeded.range.from}&to=${seeded.range.to}&channel=paid`,
    );
    expect(onScreen).toEqual(fromApi.total.steps.map((s) => s.people));
    expect(onScreen).toEqual(seeded.stages.byFirstChannel.paid);
    mkdirSync(new URL('../test-artifacts/', import.meta.url), { recursive: true });
    await page.screenshot({
      path: new URL('../test-artifacts/dashboard-seeded.png', import.meta.url).pathname,
      fullPage: true,
    });
  } finally {
    await browser.close();
  }
});
