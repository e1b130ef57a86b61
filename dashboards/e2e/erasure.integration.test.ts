/**
 * Erasure through the whole pipeline: a person's events go collector → Kafka → processor →
 * ClickHouse; the admin API erases them; every question then answers as if they had never
 * come, and a replay of the very same requests (a client retry, or Kafka's copies re-read) does
 * not bring them back.
 */
import { Analytics } from '@segment/analytics-node';
import { createClickHouseClient } from '@waymark/kit/clickhouse';
import {
  eventually,
  type Pipeline,
  startPipeline,
  testServices,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadDashboardsConfig } from '../src/config.js';
import { erase } from '../src/erasure.js';
import { createQueries } from '../src/queries/index.js';

const services = testServices();
const topic = uniqueTopic('dash-erase');
const database = uniqueDatabase('dash_erase');
const readKey = 'rk_erasure_reader_0123456789abcdefghij';
const adminKey = 'ak_erasure_admin_0123456789abcdefghijkl';
const writeKey = 'wk_erasure_writer';
const projects = JSON.stringify([
  { id: 'shop', writeKey, readKeys: [readKey], adminKeys: [adminKey] },
]);
const clickhouse = createClickHouseClient({
  url: services.clickhouseUrl,
  requestTimeoutMs: 30_000,
});
let pipeline: Pipeline;
let app: FastifyInstance;

beforeAll(async () => {
  pipeline = await startPipeline({ topic, database, projects });
  const config = loadDashboardsConfig({
    CLICKHOUSE_URL: services.clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
    WAYMARK_PROJECTS: projects,
  });
  app = await buildApp(config, {
    queries: createQueries(clickhouse, database),
    erase: (projectId, input, by) => erase(clickhouse, database, projectId, input, by),
  });
});

afterAll(async () => {
  await app?.close();
  await pipeline?.stop();
  await clickhouse.close();
});

const day = (d: number, time: string) => `2026-11-${String(d).padStart(2, '0')}T${time}.000Z`;

/** Ada (erased) and Bob, each landing, viewing, identifying and ordering; Ada on two devices. */
function send(): Promise<number[]> {
  const analytics = new Analytics({ writeKey, host: pipeline.collectorUrl, flushAt: 50 });
  const statuses: number[] = [];
  analytics.on('http_response', (r) => statuses.push(r.status));
  const person = (
    anonymousId: string,
    userId: string,
    d: number,
    medium: string,
    revenue: number,
  ) => {
    const page = { url: `https://shop.example/?utm_source=x&utm_medium=${medium}`, referrer: '' };
    analytics.page({
      anonymousId,
      messageId: `${anonymousId}-p`,
      timestamp: day(d, '10:00:00'),
      context: { page },
      properties: {},
    });
    analytics.track({
      anonymousId,
      messageId: `${anonymousId}-v`,
      timestamp: day(d, '10:02:00'),
      event: 'Product Viewed',
      context: { page },
    });
    analytics.identify({
      anonymousId,
      userId,
      messageId: `${anonymousId}-i`,
      timestamp: day(d, '10:03:00'),
      traits: { email: `${userId}@example.com` },
    });
    analytics.track({
      userId,
      messageId: `${anonymousId}-o`,
      timestamp: day(d, '10:05:00'),
      event: 'Order Completed',
      properties: { revenue },
    });
  };
  person('ada-laptop', 'ada', 3, 'email', 40);
  person('ada-phone', 'ada', 9, 'cpc', 60);
  person('bob-laptop', 'bob', 4, 'cpc', 25);
  return analytics.closeAndFlush().then(() => statuses);
}

const ask = async (question: string) => {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/${question}?from=2026-11-01&to=2026-11-30`,
    headers: { authorization: `Bearer ${readKey}` },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Record<string, unknown>;
};
const everyAnswer = async () => ({
  funnel: await ask('funnel'),
  dropoff: await ask('dropoff'),
  attribution: await ask('attribution'),
  trends: await ask('trends'),
  retention: await ask('retention'),
});

async function storedRows(): Promise<{ events: number; ada: number }> {
  const result = await clickhouse.query({
    // Distinct messages: a replayed event is stored again until merges collapse it.
    query: `SELECT uniqExact(message_id) AS events, countIf(anonymous_id LIKE 'ada%' OR user_id = 'ada') AS ada FROM ${database}.events`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ events: string; ada: string }>();
  return { events: Number(row?.events), ada: Number(row?.ada) };
}

it('erases a person from every answer, and a replay does not bring them back', {
  timeout: 120_000,
}, async () => {
  expect((await send()).every((s) => s === 200)).toBe(true);
  await eventually(async () => ((await storedRows()).events === 12 ? true : undefined), {
    what: `12 events stored (processor: ${pipeline.processor.output()})`,
  });
  const before = await everyAnswer();
  const people = (answer: Record<string, unknown>) =>
    (answer.total as { steps: { people: number }[] }).steps.map((s) => s.people);
  // Ada came back (her phone, six days after her first order): retained.
  expect(people(before.funnel)).toEqual([2, 2, 2, 1]);
  expect(before.attribution).toMatchObject({ conversions: 3, revenue: 125 });

  const refused = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/erase',
    headers: { authorization: `Bearer ${readKey}` },
    payload: { userId: 'ada' },
  });
  expect(refused.statusCode).toBe(401);
  const erased = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/erase',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: { userId: 'ada' },
  });
  expect(erased.statusCode, erased.body).toBe(200);
  expect(erased.json()).toMatchObject({
    anonymousIds: 2,
    userIds: 1,
    eventRows: 8,
    identityRows: 2,
  });

  const after = await everyAnswer();
  expect(people(after.funnel)).toEqual([1, 1, 1, 0]);
  expect(after.attribution).toMatchObject({ conversions: 1, revenue: 25 });
  expect(JSON.stringify(after)).not.toMatch(/ada/);
  expect(await storedRows()).toEqual({ events: 4, ada: 0 });

  // The same requests again: accepted by the collector, dropped by the processor.
  expect((await send()).every((s) => s === 200)).toBe(true);
  await eventually(
    async () => {
      const metrics = await fetch(`${pipeline.processorUrl}/metrics`).then((r) => r.text());
      const dropped = /waymark_processor_events_suppressed_total (\d+)/.exec(metrics)?.[1];
      return Number(dropped) >= 8 ? true : undefined;
    },
    { what: 'the replayed events of the erased person dropped' },
  );
  expect(await storedRows()).toEqual({ events: 4, ada: 0 });
  expect(await everyAnswer()).toEqual(after);
});
