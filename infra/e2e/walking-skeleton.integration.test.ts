import { randomUUID } from 'node:crypto';
import {
  eventually,
  type Pipeline,
  startPipeline,
  testClickHouse,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';

// One batch over HTTP → collector → real Kafka → processor → real ClickHouse, read back.
const topic = uniqueTopic('skeleton');
const database = uniqueDatabase('skeleton');
const writeKey = 'wk_skeleton_test';
const clickhouse = testClickHouse();
let pipeline: Pipeline;
let collectorUrl: string;

beforeAll(async () => {
  pipeline = await startPipeline({
    topic,
    database,
    projects: JSON.stringify([{ id: 'skeleton', writeKey }]),
  });
  collectorUrl = pipeline.collectorUrl;
});

afterAll(async () => {
  await pipeline?.stop();
  await clickhouse.close();
});

it('stores every event of a batch sent over HTTP, once', async () => {
  const anonymousId = randomUUID();
  const batch = [
    {
      type: 'page',
      messageId: randomUUID(),
      anonymousId,
      name: 'Home',
      timestamp: '2026-11-20T10:00:00.000Z',
    },
    {
      type: 'track',
      messageId: randomUUID(),
      anonymousId,
      event: 'order_completed',
      properties: { revenue: 42 },
      timestamp: '2026-11-20T10:05:00.000Z',
    },
  ];
  const response = await fetch(`${collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ success: true, accepted: 2 });

  // sentAt is now, so receivedAt − sentAt is latency, not skew: the timestamps stay as sent.
  const rows = await eventually(
    async () => {
      const result = await clickhouse.query({
        query: `SELECT message_id, type, event, anonymous_id, project_id, toUnixTimestamp64Milli(timestamp) AS ms, properties
                FROM ${database}.events ORDER BY timestamp`,
        format: 'JSONEachRow',
      });
      const found = await result.json<Record<string, string | number>>();
      return found.length >= 2 ? found : undefined;
    },
    { what: `rows in ClickHouse (processor: ${pipeline.processor.output()})` },
  );
  const times = rows.map((row) => Number(row.ms));
  expect(rows.map(({ ms: _, ...row }) => row)).toEqual([
    {
      message_id: batch[0]?.messageId,
      type: 'page',
      event: 'Home',
      anonymous_id: anonymousId,
      project_id: 'skeleton',
      properties: '{}',
    },
    {
      message_id: batch[1]?.messageId,
      type: 'track',
      event: 'order_completed',
      anonymous_id: anonymousId,
      project_id: 'skeleton',
      properties: '{"revenue":42}',
    },
  ]);
  // Stored to the millisecond as sent: a transit under 10 s is no clock skew to correct.
  expect(times).toEqual([
    Date.parse('2026-11-20T10:00:00.000Z'),
    Date.parse('2026-11-20T10:05:00.000Z'),
  ]);
});

it('refuses an unknown write key without producing anything', async () => {
  const response = await fetch(`${collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      writeKey: 'wk_not_a_real_key',
      batch: [{ type: 'track', event: 'x', anonymousId: 'a' }],
    }),
  });
  expect(response.status).toBe(401);
});
