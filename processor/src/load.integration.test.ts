import { identityMapQuery } from '@waymark/contract/schema';
import { eventually, testClickHouse } from '@waymark/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  committedVsEnd,
  DEAD_LETTER_HEADERS,
  kafkaClient,
  PARTITIONS,
  type ProcessorChild,
  planLoad,
  processorSetup,
  produce,
  readDeadLetters,
  startProcessorChild,
  upgradedHalfway,
  visibleCounts,
  waitForDistinct,
} from './test/harness.js';
import { bytes, collectedEvent } from './test/records.js';

// Needs processor/dist (npx turbo run build --filter=@waymark/processor...).
const setup = processorSetup('load');
const kafka = kafkaClient();
const clickhouse = testClickHouse();
const plan = planLoad(20_000, 'load');
let processor: ProcessorChild;

// Half the topic version-1 records (from before the upgrade), half version-2 ones.
const messages = upgradedHalfway(plan.messages);

beforeAll(async () => {
  expect(messages.length).toBeLessThan(plan.messages.length);
  await produce(kafka, setup.topic, messages);
  processor = await startProcessorChild(setup);
});

afterAll(async () => {
  await processor?.stop('SIGKILL');
  await clickhouse.close();
});

it('loads every distinct valid event exactly once, duplicates and poison notwithstanding', async () => {
  const started = Date.now();
  await waitForDistinct(clickhouse, setup.database, plan.distinct);
  console.log(
    `loaded ${messages.length} messages (${plan.messages.length} records' worth, ${plan.distinct} distinct) in ${Date.now() - started} ms`,
  );
  const counts = await visibleCounts(clickhouse, setup.database);
  expect(counts.distinct).toBe(plan.distinct);
  expect(counts.deduped).toBe(plan.distinct);
  expect(counts.revenue).toBeCloseTo(plan.revenue, 6);
  // The duplicates really are stored (merges may have collapsed some): the reads dedupe them.
  expect(counts.stored).toBeGreaterThanOrEqual(plan.distinct);

  const identities = await clickhouse.query({
    query: identityMapQuery({ database: setup.database }),
    format: 'JSONEachRow',
  });
  const links = await identities.json<{ anonymous_id: string; user_id: string }>();
  expect(new Map(links.map((l) => [l.anonymous_id, l.user_id]))).toEqual(plan.identities);
}, 60_000);

it('writes every poison message to the dead-letter topic with its reason and bytes', async () => {
  const letters = await readDeadLetters(kafka, setup.deadLetterTopic, plan.poison.length);
  expect(letters).toHaveLength(plan.poison.length);
  const values = letters.map((l) => l.value?.toString('hex')).sort();
  expect(values).toEqual(plan.poison.map((p) => p.toString('hex')).sort());
  const reasons = letters.map((l) => l.headers[DEAD_LETTER_HEADERS.reason] ?? '');
  expect(reasons.filter((r) => r.startsWith('not JSON'))).toHaveLength(2);
  expect(reasons.filter((r) => r.startsWith('invalid record'))).toHaveLength(3);
  expect(reasons.some((r) => r.includes('timestamp: an ISO-8601 instant'))).toBe(true);
  for (const letter of letters) {
    expect(letter.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(setup.topic);
    expect(Number(letter.headers[DEAD_LETTER_HEADERS.sourceOffset])).toBeGreaterThanOrEqual(0);
    expect(letter.headers[DEAD_LETTER_HEADERS.stage]).toMatch(/^(parse|validate)$/);
  }
  const metrics = await (await fetch(`${processor.url}/metrics`)).text();
  // Caught up: every partition's lag is 0.
  for (let partition = 0; partition < PARTITIONS; partition++) {
    expect(metrics).toContain(
      `waymark_processor_consumer_lag{topic="${setup.topic}",partition="${partition}"} 0`,
    );
  }
  expect(metrics).toMatch(/waymark_processor_dead_letters_total\{stage="parse"\} 2/);
  expect(metrics).toMatch(/waymark_processor_dead_letters_total\{stage="validate"\} 3/);
});

it('makes a new event queryable within 2 s', async () => {
  const record = collectedEvent({ messageId: 'fresh-1', receivedAt: new Date().toISOString() });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic: setup.topic,
      acks: -1,
      messages: [{ key: 'p1:anon-1', value: bytes(record) }],
    });
    const acknowledged = Date.now();
    await eventually(
      async () => {
        const result = await clickhouse.query({
          query: `SELECT count() AS n FROM ${setup.database}.events WHERE message_id = 'fresh-1'`,
          format: 'JSONEachRow',
        });
        return Number((await result.json<{ n: string }>())[0]?.n) > 0 ? true : undefined;
      },
      { timeoutMs: 5000, intervalMs: 25, what: 'the new event' },
    );
    const freshnessMs = Date.now() - acknowledged;
    console.log(`end-to-end freshness (Kafka ack → queryable): ${freshnessMs} ms`);
    expect(freshnessMs).toBeLessThan(2000);
  } finally {
    await producer.disconnect();
  }
});

it('commits everything and exits 0 on SIGTERM', async () => {
  expect(await processor.stop('SIGTERM')).toBe(0);
  const offsets = await committedVsEnd(kafka, setup.topic, setup.group);
  for (const { committed, end } of offsets) expect(committed).toBe(end);
});
