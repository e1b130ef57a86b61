/**
 * A sample of the generated edge events (edge-events.ts) that the collector accepts, sent over
 * HTTP through the built collector, real Kafka, the built processor and real ClickHouse: every
 * one is stored, none dead-lettered. The unit-level property (limits-agree.test.ts) covers many
 * more events; this checks that ClickHouse itself takes the rows the processor builds.
 */

import { collectEvent } from '@waymark/collector/test/prepare';
import { LIMITS } from '@waymark/contract/limits';
import {
  eventually,
  type Pipeline,
  startPipeline,
  testClickHouse,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { edgeEvent } from './edge-events.js';

const topic = uniqueTopic('edges');
const database = uniqueDatabase('edges');
const projectId = 'e'.repeat(LIMITS.maxProjectIdLength);
const writeKey = 'wk_edges_test';
const clickhouse = testClickHouse();
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({
    topic,
    database,
    // Edge timestamps go back to 2000: kept for a century, not the default two years (which
    // ClickHouse's TTL would drop at once).
    projects: JSON.stringify([{ id: projectId, writeKey, retentionDays: 36_500 }]),
  });
});

afterAll(async () => {
  await pipeline?.stop();
  await clickhouse.close();
});

/** A messageId of the same length, made unique by its first characters. */
function unique(messageId: unknown, n: number): string {
  const prefix = `${n}:`;
  const length = typeof messageId === 'string' ? messageId.length : 36;
  return `${prefix}${typeof messageId === 'string' ? messageId : ''}`
    .padEnd(length, 'm')
    .slice(0, Math.max(prefix.length, length));
}

it('stores every sampled edge event the collector accepts, none dead-lettered', async () => {
  const now = Date.now();
  const facts = {
    projectId,
    keepIp: false,
    receivedAtMs: now,
    receivedAt: new Date(now).toISOString(),
    requestIp: '127.0.0.1',
    bodyBytes: LIMITS.maxBodyBytes,
    sentAt: undefined,
    context: undefined,
    type: undefined,
  };
  // A stable sample; only the events the collector accepts (it says so per event anyway).
  const events = fc
    .sample(edgeEvent(now), { numRuns: 300, seed: 20261120 })
    .map((raw, n) => JSON.parse(JSON.stringify({ ...raw, messageId: unique(raw.messageId, n) })))
    .filter((raw) => collectEvent(raw, facts).ok)
    .slice(0, 120);
  expect(events.length).toBeGreaterThan(60);

  // Ten per request keeps every body under 500 KB (an event is at most 32 KB).
  for (let start = 0; start < events.length; start += 10) {
    const batch = events.slice(start, start + 10);
    const response = await fetch(`${pipeline.collectorUrl}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch }),
    });
    const answer = (await response.json()) as { rejected: unknown[] };
    expect(answer.rejected, JSON.stringify(answer.rejected)).toEqual([]);
    expect(response.status).toBe(200);
  }

  const ids = events.map((e) => e.messageId as string);
  const stored = await eventually(
    async () => {
      const result = await clickhouse.query({
        query: `SELECT DISTINCT message_id FROM ${database}.events WHERE project_id = {p:String}`,
        query_params: { p: projectId },
        format: 'JSONEachRow',
      });
      const rows = (await result.json<{ message_id: string }>()).map((r) => r.message_id);
      return rows.length >= ids.length ? rows : undefined;
    },
    { what: `${ids.length} stored events (processor: ${pipeline.processor.output()})` },
  );
  expect(new Set(stored)).toEqual(new Set(ids));
  expect(pipeline.processor.output()).not.toContain('dead-letter');
});
