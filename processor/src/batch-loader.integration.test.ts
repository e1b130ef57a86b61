import { idHash, migrate } from '@waymark/contract/schema';
import { testClickHouse, uniqueDatabase, uniqueTopic } from '@waymark/test-harness';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBatchLoader } from './batch-loader.js';
import { decodeRecord } from './decode.js';
import { HealthState } from './health.js';
import { DEAD_LETTER_HEADERS } from './kafka/dead-letters.js';
import { createMetrics } from './metrics.js';
import { prepare } from './prepare.js';
import { kafkaClient, produce, readDeadLetters } from './test/harness.js';
import { bytes, collectedEvent, recordOf } from './test/records.js';
import type { WorkItem } from './work.js';

const clickhouse = testClickHouse();
const database = uniqueDatabase('loader');
const deadLetterTopic = uniqueTopic('loader-dead');
const kafka = kafkaClient();
const producer = kafka.producer();

beforeAll(async () => {
  await migrate(clickhouse, database);
  await produce(kafka, deadLetterTopic, []);
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await clickhouse.close();
});

/**
 * A row ClickHouse refuses as bad data, wherever it sits in an insert: its first string claims
 * 2^48 bytes (TOO_LARGE_STRING_SIZE), so reading stops at it whatever follows.
 */
function unreadable(row: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f]), row]);
}

function item(messageId: string, offset: number): WorkItem {
  const value = bytes(
    collectedEvent({ messageId, event: { type: 'identify', userId: `u-${messageId}` } }),
  );
  const [only] = prepare({
    topic: 'events',
    partition: 0,
    offset: String(offset),
    key: null,
    value,
  });
  return only as WorkItem;
}

it('loads the good rows and dead-letters a row ClickHouse refuses, with its reason', async () => {
  const metrics = createMetrics();
  const load = createBatchLoader({
    clickhouse,
    database,
    producer,
    deadLetterTopic,
    deadLetterMaxBytes: 512 * 1024,
    retry: { minMs: 10, maxMs: 50 },
    signal: new AbortController().signal,
    metrics,
    health: new HealthState(),
    log: pino({ level: 'silent' }),
    suppressions: () => new Map(),
  });
  const items = ['g1', 'g2', 'bad', 'g3', 'g4'].map((id, i) => item(id, i));
  const bad = items[2];
  if (bad?.kind !== 'load') throw new Error('fixture must be loadable');
  // Bytes the encoder never produces: stands for any row ClickHouse cannot read.
  bad.eventRow = unreadable(bad.eventRow);
  await load(items);

  const stored = await clickhouse.query({
    query: `SELECT message_id FROM ${database}.events ORDER BY message_id`,
    format: 'JSONEachRow',
  });
  expect((await stored.json<{ message_id: string }>()).map((r) => r.message_id)).toEqual([
    'g1',
    'g2',
    'g3',
    'g4',
  ]);
  // No identity link for the event that was not stored.
  const links = await clickhouse.query({
    query: `SELECT user_id FROM ${database}.identities ORDER BY user_id`,
    format: 'JSONEachRow',
  });
  expect((await links.json<{ user_id: string }>()).map((r) => r.user_id)).toEqual([
    'u-g1',
    'u-g2',
    'u-g3',
    'u-g4',
  ]);

  const [letter] = await readDeadLetters(kafka, deadLetterTopic, 1);
  expect(letter?.headers[DEAD_LETTER_HEADERS.stage]).toBe('load');
  expect(letter?.headers[DEAD_LETTER_HEADERS.sourceOffset]).toBe('2');
  expect(letter?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(
    /ClickHouse refused the events row: .*Too large string size/,
  );
  const original = decodeRecord(letter?.value ?? null);
  expect(original.ok && original.events[0]?.ok && original.events[0].record.event.messageId).toBe(
    'bad',
  );
  expect(
    await metrics.registry.getSingleMetricAsString('waymark_processor_dead_letters_total'),
  ).toContain('stage="load"} 1');
});

it('dead-letters one bad event of a version-2 record alone, its neighbours load', async () => {
  const topic = uniqueTopic('loader-dead-v2');
  await produce(kafka, topic, []);
  const db = uniqueDatabase('loader_v2');
  await migrate(clickhouse, db);
  const load = createBatchLoader({
    clickhouse,
    database: db,
    producer,
    deadLetterTopic: topic,
    deadLetterMaxBytes: 512 * 1024,
    retry: { minMs: 10, maxMs: 50 },
    signal: new AbortController().signal,
    metrics: createMetrics(),
    health: new HealthState(),
    log: pino({ level: 'silent' }),
    suppressions: () => new Map(),
  });
  const record = JSON.parse(
    recordOf(
      ['v1', 'invalid', 'v2', 'refused', 'v3'].map((messageId) => collectedEvent({ messageId })),
    ).toString(),
  );
  record.events[1].event.type = 'nope';
  const items = prepare({
    topic: 'events',
    partition: 0,
    offset: '9',
    key: Buffer.from('p1:anon-1'),
    value: bytes(record),
  });
  expect(items.map((i) => i.kind)).toEqual(['load', 'dead', 'load', 'load', 'load']);
  const refused = items[3];
  if (refused?.kind !== 'load') throw new Error('fixture must be loadable');
  refused.eventRow = unreadable(refused.eventRow);
  await load(items);

  const stored = await clickhouse.query({
    query: `SELECT message_id FROM ${db}.events ORDER BY message_id`,
    format: 'JSONEachRow',
  });
  expect((await stored.json<{ message_id: string }>()).map((r) => r.message_id)).toEqual([
    'v1',
    'v2',
    'v3',
  ]);
  const letters = await readDeadLetters(kafka, topic, 2);
  const byEvent = Object.fromEntries(
    letters.map((l) => [l.headers[DEAD_LETTER_HEADERS.sourceEvent], l]),
  );
  expect(Object.keys(byEvent).sort()).toEqual(['1/5', '3/5']);
  expect(byEvent['1/5']?.headers[DEAD_LETTER_HEADERS.stage]).toBe('validate');
  expect(byEvent['1/5']?.headers[DEAD_LETTER_HEADERS.reason]).toContain('events.1.event.type');
  expect(byEvent['3/5']?.headers[DEAD_LETTER_HEADERS.stage]).toBe('load');
  // Each carries its event alone, as a record that can be produced again by itself.
  const ids = (letter: (typeof letters)[number] | undefined) =>
    JSON.parse(letter?.value?.toString() ?? '{}').events.map(
      (e: { event: { messageId: string } }) => e.event.messageId,
    );
  expect(ids(byEvent['1/5'])).toEqual(['invalid']);
  expect(ids(byEvent['3/5'])).toEqual(['refused']);
  const again = decodeRecord(byEvent['3/5']?.value ?? null);
  expect(again.ok && again.events.map((e) => e.ok)).toEqual([true]);
});

it('drops a suppressed event of a version-2 record alone (erasure is per event)', async () => {
  const db = uniqueDatabase('loader_erased');
  await migrate(clickhouse, db);
  const metrics = createMetrics();
  const load = createBatchLoader({
    clickhouse,
    database: db,
    producer,
    deadLetterTopic,
    deadLetterMaxBytes: 512 * 1024,
    retry: { minMs: 10, maxMs: 50 },
    signal: new AbortController().signal,
    metrics,
    health: new HealthState(),
    log: pino({ level: 'silent' }),
    suppressions: () => new Map([['p1', new Set([idHash('p1', 'user', 'u-gone')])]]),
  });
  const value = recordOf([
    collectedEvent({ messageId: 'kept-1' }),
    collectedEvent({ messageId: 'gone', event: { userId: 'u-gone' } }),
    collectedEvent({ messageId: 'kept-2', event: { userId: 'u-stays' } }),
  ]);
  await load(prepare({ topic: 'events', partition: 0, offset: '3', key: null, value }));
  const stored = await clickhouse.query({
    query: `SELECT message_id FROM ${db}.events ORDER BY message_id`,
    format: 'JSONEachRow',
  });
  expect((await stored.json<{ message_id: string }>()).map((r) => r.message_id)).toEqual([
    'kept-1',
    'kept-2',
  ]);
  expect(
    await metrics.registry.getSingleMetricAsString('waymark_processor_events_suppressed_total'),
  ).toContain(' 1');
});
