/**
 * Contract test: the real Segment Node library, pointed at the collector, sends track, page and
 * identify; the records in the real Kafka are keyed by project + person and carry the channel the
 * server classified from the raw page fields.
 */
import { Analytics } from '@segment/analytics-node';
import { collectedEventsOf } from '@waymark/contract/record';
import { testServices, uniqueTopic } from '@waymark/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { connectKafkaSink, type EventSink } from './kafka.js';
import { readAllRecords } from './test/kafka-reader.js';
import { testConfig } from './test/recording-sink.js';

const { kafkaBrokers } = testServices();
const eventsTopic = uniqueTopic('collector-segment');
const config = testConfig({
  KAFKA_BROKERS: kafkaBrokers.join(','),
  KAFKA_EVENTS_TOPIC: eventsTopic,
  KAFKA_INVALID_EVENTS_TOPIC: uniqueTopic('collector-segment-invalid'),
  KAFKA_TOPIC_PARTITIONS: '2',
});
let sink: EventSink;
let app: ReturnType<typeof buildApp>;
let url: string;

beforeAll(async () => {
  sink = await connectKafkaSink(config.kafka);
  app = buildApp(config, { sink });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await sink?.close();
});

it('stores what @segment/analytics-node sends, keyed and classified', async () => {
  const analytics = new Analytics({ writeKey: 'wk_shop_test_key', host: url, flushAt: 3 });
  const statuses: number[] = [];
  analytics.on('http_response', (r) => statuses.push(r.status));
  const errors: unknown[] = [];
  analytics.on('error', (e) => errors.push(e));

  analytics.page({
    anonymousId: 'anon-segment-1',
    name: 'Landing',
    properties: { path: '/' },
    context: {
      page: {
        url: 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov',
        referrer: '',
      },
    },
  });
  analytics.track({
    anonymousId: 'anon-segment-1',
    event: 'Product Viewed',
    properties: { sku: 'A-1', price: 9.5 },
    context: { page: { url: 'https://shop.example/p/a-1', referrer: 'https://www.bing.com/' } },
  });
  analytics.identify({ userId: 'user-segment-1', traits: { plan: 'pro' } });
  await analytics.closeAndFlush({ timeout: 10_000 });
  expect(errors).toEqual([]);
  expect(statuses).toEqual([200]);

  const records = (await readAllRecords(kafkaBrokers, eventsTopic)).flatMap((r) =>
    collectedEventsOf(r.value).map((record) => ({ key: r.key, record })),
  );
  const byType = Object.fromEntries(records.map((r) => [r.record.event.type, r]));
  expect(records).toHaveLength(3);

  expect(byType.page?.key).toBe('shop:anon-segment-1');
  expect(byType.page?.record.event).toMatchObject({
    name: 'Landing',
    anonymousId: 'anon-segment-1',
  });
  expect(byType.page?.record.sessionTouch).toMatchObject({
    channel: 'email',
    source: 'newsletter',
    campaign: 'nov',
  });

  expect(byType.track?.key).toBe('shop:anon-segment-1');
  expect(byType.track?.record.event).toMatchObject({
    event: 'Product Viewed',
    properties: { sku: 'A-1', price: 9.5 },
  });
  expect(byType.track?.record.sessionTouch).toMatchObject({
    channel: 'organic',
    referrerHost: 'www.bing.com',
  });

  expect(byType.identify?.key).toBe('shop:user-segment-1');
  expect(byType.identify?.record.event).toMatchObject({
    userId: 'user-segment-1',
    traits: { plan: 'pro' },
  });
  for (const { record } of records) {
    // Segment's own messageIds are kept, its library recorded, the time stamped by us.
    expect(record.event.messageId).toMatch(/^node-next-/);
    expect(record.event.context?.library?.name).toBe('@segment/analytics-node');
    expect(record.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  }
}, 30_000);
