/**
 * With the broker stopped, the collector answers 503 with Retry-After within its bound (no hanging
 * request); after the broker is back, the client's retry lands exactly once per messageId; for
 * every client the collector can produce through (KAFKA_CLIENT), each against the same broker
 * stopped and restarted. Uses a private Kafka (own ports and data dir), never the shared one other
 * tests rely on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectedEventsOf } from '@waymark/contract/record';
import { eventually, freePort } from '@waymark/test-harness';
import {
  kafkaBrokers,
  loadStackConfig,
  type StackConfig,
  startKafka,
  stopKafka,
} from '@waymark/test-harness/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { KAFKA_CLIENTS } from './config.js';
import { connectKafkaSink, type EventSink } from './kafka.js';
import { readAllRecords } from './test/kafka-reader.js';
import { basic, testConfig } from './test/recording-sink.js';

const PRODUCE_TIMEOUT_MS = 3000;
let stack: StackConfig;
let stateDir: string;
let brokers: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'waymark-outage-'));
  stack = loadStackConfig({
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_HEAP: '256m',
    WAYMARK_STATE_DIR: stateDir,
  });
  await startKafka(stack);
  brokers = kafkaBrokers(stack);
}, 90_000);

afterAll(async () => {
  if (stack) await stopKafka(stack);
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}, 60_000);

describe.each(KAFKA_CLIENTS)('KAFKA_CLIENT=%s', (client) => {
  const eventsTopic = `outage.${client}.events`;
  let sink: EventSink;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    const config = testConfig({
      KAFKA_BROKERS: brokers,
      KAFKA_EVENTS_TOPIC: eventsTopic,
      KAFKA_INVALID_EVENTS_TOPIC: `outage.${client}.invalid`,
      KAFKA_TOPIC_PARTITIONS: '1',
      KAFKA_PRODUCE_TIMEOUT_MS: String(PRODUCE_TIMEOUT_MS),
      KAFKA_CLIENT: client,
    });
    sink = await connectKafkaSink(config.kafka);
    app = buildApp(config, { sink });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await sink?.close();
  }, 30_000);

  const send = (messageId: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', authorization: basic('wk_shop_test_key') },
      payload: JSON.stringify({
        batch: [{ type: 'track', event: 'checkout', anonymousId: 'anon-outage', messageId }],
      }),
    });

  it('answers 503 within the bound while the broker is down, and a retry lands exactly once', async () => {
    expect((await send('before-outage')).statusCode).toBe(200);

    await stopKafka(stack);
    const started = Date.now();
    const refused = await send('during-outage');
    const elapsed = Date.now() - started;
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().code).toBe('WAYMARK_ERR_BROKER_UNAVAILABLE');
    expect(elapsed).toBeLessThanOrEqual(PRODUCE_TIMEOUT_MS + 500);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);

    await startKafka(stack);
    // The client retries the same messageId until accepted, as the SDK and Segment's libraries do.
    await eventually(
      async () => ((await send('during-outage')).statusCode === 200 ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 500,
        what: 'the retried send to be accepted',
      },
    );

    const ids = (await readAllRecords([brokers], eventsTopic)).flatMap((r) =>
      collectedEventsOf(r.value).map((e) => e.event.messageId),
    );
    expect(ids.sort()).toEqual(['before-outage', 'during-outage']);
  }, 60_000);
});
