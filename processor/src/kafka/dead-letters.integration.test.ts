/**
 * Dead letters against a real broker, at the sizes that once stopped loading for every project:
 * a flush's dead letters larger than the broker's max.message.bytes in one send were refused
 * (MESSAGE_TOO_LARGE), retried forever, and no other flush started.
 */
import { randomBytes } from 'node:crypto';
import { uniqueTopic } from '@waymark/test-harness';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchLoader } from '../batch-loader.js';
import { HealthState } from '../health.js';
import { createMetrics } from '../metrics.js';
import { kafkaClient, PARTITIONS, readDeadLetters } from '../test/harness.js';
import { bytes, collectedEvent } from '../test/records.js';
import type { WorkItem } from '../work.js';
import { DEAD_LETTER_HEADERS, STUB_VALUE_BYTES } from './dead-letters.js';

const kafka = kafkaClient();
const producer = kafka.producer();
// Kafka's own default (1,048,588 bytes) on one topic, and a topic that takes 64 KB at most.
const defaultTopic = uniqueTopic('dead-size');
const smallTopic = uniqueTopic('dead-small');
const SMALL_TOPIC_MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: defaultTopic, numPartitions: PARTITIONS, replicationFactor: 1 },
      {
        topic: smallTopic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
        configEntries: [{ name: 'max.message.bytes', value: String(SMALL_TOPIC_MAX_BYTES) }],
      },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
});

/** A record that fails validation (a messageId over the limit), padded to about `size` bytes. */
function refused(n: number, size: number, pad: (size: number) => string): WorkItem {
  const record = collectedEvent({
    messageId: `m-${n}-${'x'.repeat(300)}`,
    event: { properties: { pad: pad(size) } },
  });
  return {
    kind: 'dead',
    stage: 'validate',
    reason: 'invalid record — event.messageId: Too big',
    // One key: every dead letter lands in one partition, in one record batch.
    source: {
      topic: 'events',
      partition: 0,
      offset: String(n),
      key: Buffer.from('p1:anon-1'),
      value: bytes(record),
    },
  };
}

const text = (size: number) => `${'lorem ipsum '.repeat(size / 12)}`;
const noise = (size: number) => randomBytes(size / 2).toString('hex');

function loader(topic: string, signal: AbortSignal) {
  const metrics = createMetrics();
  const load = createBatchLoader({
    // No rows to insert: the loader only produces dead letters here.
    clickhouse: undefined as never,
    database: 'unused',
    producer,
    deadLetterTopic: topic,
    deadLetterMaxBytes: 512 * 1024,
    retry: { minMs: 10, maxMs: 100 },
    signal,
    metrics,
    health: new HealthState(),
    log: pino({ level: 'silent' }),
    suppressions: () => new Map(),
  });
  return { load, metrics };
}

describe('dead letters', () => {
  it('sends a flush of dead letters far over max.message.bytes, compressed and in chunks', async () => {
    // 40 × 60 KB of incompressible bytes: 2.4 MB, twice what the broker takes in one batch.
    const items = Array.from({ length: 40 }, (_, n) => refused(n, 60_000, noise));
    const { load, metrics } = loader(defaultTopic, AbortSignal.timeout(20_000));
    await load(items);
    const letters = await readDeadLetters(kafka, defaultTopic, 40);
    expect(letters).toHaveLength(40);
    // Each the original, byte for byte.
    const originals = new Set(items.map((i) => i.source.value?.toString('hex')));
    expect(new Set(letters.map((l) => l.value?.toString('hex')))).toEqual(originals);
    expect(
      await metrics.registry.getSingleMetricAsString('waymark_processor_dead_letters_total'),
    ).toContain('stage="validate"} 40');
  });

  it('replaces a dead letter the topic cannot take with a stub, and carries on', async () => {
    // The first is over the topic's limit even compressed; the others fit.
    const items = [refused(0, 200_000, noise), refused(1, 1000, text), refused(2, 1000, text)];
    const { load, metrics } = loader(smallTopic, AbortSignal.timeout(20_000));
    await load(items);
    const letters = await readDeadLetters(kafka, smallTopic, 3);
    const stub = letters.find((l) => l.headers[DEAD_LETTER_HEADERS.stub] !== undefined);
    expect(stub?.headers[DEAD_LETTER_HEADERS.sourceOffset]).toBe('0');
    expect(stub?.headers[DEAD_LETTER_HEADERS.stub]).toBe(String(items[0]?.source.value?.length));
    const body = JSON.parse(String(stub?.value));
    expect(body).toMatchObject({
      reason: 'invalid record — event.messageId: Too big',
      projectId: 'p1',
      // Cut to the id limit, as every id the collector accepts is.
      messageIds: [`m-0-${'x'.repeat(300)}`.slice(0, 256)],
      valueBytes: items[0]?.source.value?.length,
    });
    expect(body.valueHead.length).toBeLessThanOrEqual(STUB_VALUE_BYTES);
    expect(letters.filter((l) => l.headers[DEAD_LETTER_HEADERS.stub] === undefined)).toHaveLength(
      2,
    );
    expect(
      await metrics.registry.getSingleMetricAsString('waymark_processor_dead_letter_stubs_total'),
    ).toMatch(/_stubs_total 1$/m);
  });
});
