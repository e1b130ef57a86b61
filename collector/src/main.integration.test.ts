/**
 * The built process (dist/main.js): starts from env, creates its topics, and on SIGTERM stops
 * accepting, finishes the requests in flight, flushes the producer and exits 0 — every event it
 * acknowledged is in Kafka.
 */

import { collectedEventsOf } from '@waymark/contract/record';
import {
  eventually,
  freePort,
  type ServiceProcess,
  startService,
  testServices,
  uniqueTopic,
} from '@waymark/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readAllRecords } from './test/kafka-reader.js';
import { basic } from './test/recording-sink.js';

const { kafkaBrokers } = testServices();
const eventsTopic = uniqueTopic('collector-main');
let collector: ServiceProcess;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  collector = startService('collector', {
    COLLECTOR_PORT: String(port),
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_EVENTS_TOPIC: eventsTopic,
    KAFKA_INVALID_EVENTS_TOPIC: uniqueTopic('collector-main-invalid'),
    KAFKA_TOPIC_PARTITIONS: '2',
    WAYMARK_PROJECTS: JSON.stringify([{ id: 'main', writeKeys: ['wk_main_test'] }]),
    LOG_LEVEL: 'info',
  });
  await eventually(async () => ((await fetch(`${url}/ready`)).ok ? true : undefined), {
    what: `collector /ready (${collector.output()})`,
  });
});

afterAll(async () => {
  await collector?.stop('SIGKILL');
});

it('drains on SIGTERM: every acknowledged event is in Kafka, and it exits 0', async () => {
  const send = (i: number) =>
    fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('wk_main_test') },
      body: JSON.stringify({
        batch: [{ type: 'track', event: 'drain', anonymousId: `a${i}`, messageId: `drain-${i}` }],
      }),
    }).then(
      (r) => ({ id: `drain-${i}`, status: r.status }),
      () => ({ id: `drain-${i}`, status: 0 }),
    );
  // A first request opens keep-alive connections, so the next ones reach the server at once.
  const results = [await send(0)];
  const sends = Array.from({ length: 40 }, (_, i) => send(i + 1));
  // Signal while requests are on their way.
  setTimeout(() => collector.child.kill('SIGTERM'), 15);
  results.push(...(await Promise.all(sends)));
  expect(await collector.stop()).toBe(0);

  const accepted = results.filter((r) => r.status === 200).map((r) => r.id);
  expect(accepted.length).toBeGreaterThan(0);
  // Anything not accepted was refused in the open (503) or never connected (0), so clients retry.
  for (const r of results) expect([0, 200, 503]).toContain(r.status);
  const stored = (await readAllRecords(kafkaBrokers, eventsTopic)).flatMap((r) =>
    collectedEventsOf(r.value).map((e) => e.event.messageId),
  );
  expect(stored.sort()).toEqual(accepted.sort());
  // Logs are JSON and carry neither payloads nor IPs.
  const logs = collector.output();
  expect(logs).toContain('"msg":"drained"');
  expect(logs).not.toContain('remoteAddress');
  expect(logs).not.toContain('drain-1');
}, 30_000);
