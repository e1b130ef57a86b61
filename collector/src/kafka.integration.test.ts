/**
 * Against the real Kafka, for every client the collector can produce through (KAFKA_CLIENT):
 * topics are created with the configured partitions, and of hostile batches mixed with valid
 * events, every valid event lands once, keyed by project + person, in the partition kafkajs's
 * default partitioner picks, while every refused one lands in the invalid-events topic with its
 * reason and an allow-list summary (no payload).
 */
import type { Worker } from 'node:worker_threads';
import { collectedEventsOf, type InvalidEventRecord } from '@waymark/contract/record';
import { createKafka } from '@waymark/kit/kafka';
import { freePort, testServices, uniqueTopic } from '@waymark/test-harness';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { KAFKA_CLIENTS } from './config.js';
import { connectKafkaSink, type EventSink, type KafkaSink, startProducerThread } from './kafka.js';
import { readAllRecords } from './test/kafka-reader.js';
import { kafkajsPartition } from './test/kafkajs-partition.js';
import { mixedBatch } from './test/payloads.js';
import { basic, testConfig } from './test/recording-sink.js';

const { kafkaBrokers } = testServices();

describe.each(KAFKA_CLIENTS)('KAFKA_CLIENT=%s', (client) => {
  const eventsTopic = uniqueTopic('collector-events');
  const invalidTopic = uniqueTopic('collector-invalid');
  const config = testConfig({
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_EVENTS_TOPIC: eventsTopic,
    KAFKA_INVALID_EVENTS_TOPIC: invalidTopic,
    KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_CLIENT: client,
    COLLECTOR_RATE_LIMIT_PER_IP: '0',
    COLLECTOR_RATE_LIMIT_PER_KEY: '0',
  });
  let sink: EventSink;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    sink = await connectKafkaSink(config.kafka);
    app = buildApp(config, { sink });
  });

  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });

  it('creates both topics with the configured partition count and reports ready', async () => {
    const admin = createKafka({ clientId: 'collector-test', brokers: kafkaBrokers }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [eventsTopic, invalidTopic] });
      expect(topics.map((t) => t.partitions.length)).toEqual([3, 3]);
    } finally {
      await admin.disconnect();
    }
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });

  it('lands every valid event of hostile batches once, and every refused one as invalid', async () => {
    const batches = fc.sample(mixedBatch, { numRuns: 60, seed: 42 });
    const validIds: string[] = [];
    let bad = 0;
    for (const { batch, validIds: ids, badIndexes } of batches) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { 'content-type': 'application/json', authorization: basic('wk_shop_test_key') },
        payload: JSON.stringify({ batch }),
      });
      expect(res.statusCode).toBe(ids.length > 0 ? 200 : 400);
      validIds.push(...ids);
      bad += badIndexes.length;
    }
    expect(validIds.length).toBeGreaterThan(20);

    const events = await readAllRecords(kafkaBrokers, eventsTopic);
    const records = events.flatMap((e) =>
      collectedEventsOf(e.value).map((record) => ({ key: e.key, record })),
    );
    expect(records.map((r) => r.record.event.messageId).sort()).toEqual([...validIds].sort());
    for (const { key, record } of records) {
      expect(key).toBe(`shop:${record.event.anonymousId}`);
      expect(record.projectId).toBe('shop');
    }
    // Same person → same partition, so their events stay ordered; the same one whatever the client.
    for (const e of events) {
      expect(e.partition).toBe(kafkajsPartition(eventsTopic, e.key, 3));
    }

    const invalid = (await readAllRecords(kafkaBrokers, invalidTopic)).map(
      (r) => JSON.parse(r.value) as InvalidEventRecord,
    );
    expect(invalid).toHaveLength(bad);
    for (const r of invalid) {
      expect(r).toMatchObject({
        projectId: 'shop',
        code: expect.stringMatching(/^WAYMARK_ERR_EVENT_/),
      });
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.event.ip).toMatch(/^(\d+\.\d+\.\d+\.0|[0-9a-f:]+::|)$/);
    }
  }, 60_000);

  it('shares producer round trips between concurrent requests, each acknowledged once', async () => {
    const topic = uniqueTopic('collector-concurrent');
    const own = testConfig({
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_EVENTS_TOPIC: topic,
      KAFKA_INVALID_EVENTS_TOPIC: uniqueTopic('collector-concurrent-invalid'),
      KAFKA_TOPIC_PARTITIONS: '2',
      KAFKA_CLIENT: client,
    });
    const ownSink = await connectKafkaSink(own.kafka);
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `concurrent-${i}`);
      await Promise.all(
        ids.map((messageId, i) =>
          ownSink.send({
            events: [{ key: `shop:a${i % 7}`, value: JSON.stringify({ event: { messageId } }) }],
            invalid: [],
          }),
        ),
      );
      const stored = (await readAllRecords(kafkaBrokers, topic)).map(
        (r) => (JSON.parse(r.value) as { event: { messageId: string } }).event.messageId,
      );
      expect(stored.sort()).toEqual([...ids].sort());
    } finally {
      await ownSink.close();
    }
    // Closed, the producer thread is gone: sends fail (the route answers 503), readiness says no.
    await expect(
      ownSink.send({ events: [{ key: 'shop:a', value: '{}' }], invalid: [] }),
    ).rejects.toThrow('closed');
    expect(await ownSink.ready()).toBe(false);
  });

  it('reports a producer thread that died, and only then, refusing sends from then on', async () => {
    const own = testConfig({
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_EVENTS_TOPIC: uniqueTopic('collector-broken'),
      KAFKA_INVALID_EVENTS_TOPIC: uniqueTopic('collector-broken-invalid'),
      KAFKA_CLIENT: client,
    });
    const notYet = (sink: KafkaSink) =>
      Promise.race([sink.broken, new Promise((resolve) => setTimeout(resolve, 300, 'pending'))]);

    // Closed on purpose: not broken.
    const closed = await connectKafkaSink(own.kafka);
    await closed.close();
    expect(await notYet(closed)).toBe('pending');

    let thread: Worker | undefined;
    const sink = await connectKafkaSink(own.kafka, {
      startThread: (settings) => {
        thread = startProducerThread(settings);
        return thread;
      },
    });
    try {
      expect(await notYet(sink)).toBe('pending');
      await thread?.terminate();
      expect((await sink.broken).message).toMatch(/producer thread exited/);
      await expect(
        sink.send({ events: [{ key: 'shop:a', value: '{}' }], invalid: [] }),
      ).rejects.toThrow(/producer thread exited/);
      expect(await sink.ready()).toBe(false);
    } finally {
      await sink.close();
    }
  });

  it('fails to connect within the bound when no broker answers', async () => {
    const port = await freePort();
    const unreachable = testConfig({
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      KAFKA_PRODUCE_TIMEOUT_MS: '400',
      KAFKA_CLIENT: client,
    });
    await expect(connectKafkaSink(unreachable.kafka)).rejects.toThrow();
  });
});
