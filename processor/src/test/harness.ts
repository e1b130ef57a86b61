/**
 * Integration-test helpers: a load of Kafka records with known duplicates and poison, the
 * processor as a child process, and exact reads of what reached ClickHouse.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type CollectedEvent, encodeRecords, recordEvents } from '@waymark/contract/record';
import { dedupedEventsQuery, EXACT_EVENT_COUNT } from '@waymark/contract/schema';
import { ensureTopic } from '@waymark/contract/topics';
import { createKafka } from '@waymark/kit/kafka';
import {
  eventually,
  freePort,
  type ServiceProcess,
  startService,
  testServices,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';
import type { Kafka, Message } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '../kafka/dead-letters.js';
import { bytes, collectedEvent } from './records.js';

export const PARTITIONS = 4;

export function kafkaClient(): Kafka {
  return createKafka({ clientId: 'processor-test', brokers: testServices().kafkaBrokers });
}

export interface LoadPlan {
  /** Messages in production order. */
  messages: Message[];
  /** Distinct valid events (message ids) among them. */
  distinct: number;
  /** Sum of revenue over distinct events. */
  revenue: number;
  /** Each identified anonymous id → the user id of its latest identify. */
  identities: Map<string, string>;
  /** The poison messages' values, as produced. */
  poison: Buffer[];
}

const POISON: Buffer[] = [
  Buffer.from('this is not json'),
  Buffer.from('{"projectId":"p1","event":'),
  bytes({ hello: 'world' }),
  bytes({ ...collectedEvent({ messageId: 'x' }), event: { type: 'track', anonymousId: 'a' } }),
  bytes(collectedEvent({ messageId: 'poison-time', timestamp: '2999-01-01T00:00:00Z' })),
];

/**
 * `count` distinct events over many people, then every 10th event again as a Kafka replay
 * (same bytes) and every 10th (offset by 5) again as a client retry through the collector
 * (same messageId, arrived 1.4 s later, timestamp a second off, some across a month boundary
 * so that the copies land in different partitions), plus the poison messages interleaved.
 */
export function planLoad(count: number, tag: string, project = 'p1'): LoadPlan {
  const messages: Message[] = [];
  const poison = [...POISON];
  let revenue = 0;
  const identities = new Map<string, string>();
  const identifiedAt = new Map<string, number>();
  const eventAt = (i: number) =>
    i % 97 === 0
      ? Date.parse('2026-10-31T23:59:59.600Z')
      : Date.parse('2026-11-20T10:00:00Z') + i * 1000;
  for (let i = 0; i < count; i++) {
    const anonymousId = `${tag}-anon-${i % 700}`;
    const identify = i % 50 === 0;
    const amount = !identify && i % 7 === 0 ? (i % 100) + 0.5 : 0;
    revenue += amount;
    const at = eventAt(i);
    if (identify && at >= (identifiedAt.get(anonymousId) ?? 0)) {
      identities.set(anonymousId, `${tag}-user-${i}`);
      identifiedAt.set(anonymousId, at);
    }
    const record = collectedEvent({
      projectId: project,
      messageId: `${tag}-m-${i}`,
      timestamp: new Date(at).toISOString(),
      receivedAt: new Date(at + 250).toISOString(),
      event: identify
        ? { type: 'identify', anonymousId, userId: `${tag}-user-${i}` }
        : {
            anonymousId,
            event: amount > 0 ? 'Order Completed' : 'Product Viewed',
            properties: amount > 0 ? { revenue: amount, currency: 'EUR' } : { sku: `s${i}` },
          },
    });
    const key = Buffer.from(`${project}:${anonymousId}`);
    messages.push({ key, value: bytes(record) });
    if (i % 10 === 0) messages.push({ key, value: bytes(record) });
    if (i % 10 === 5) {
      const retried = {
        ...record,
        receivedAt: new Date(at + 1650).toISOString(),
        timestamp: new Date(at + 1000).toISOString(),
      };
      messages.push({ key, value: bytes(retried) });
    }
    if (i % Math.max(1, Math.floor(count / POISON.length)) === 0 && poison.length > 0) {
      messages.push({ key, value: poison.shift()! });
    }
  }
  return {
    messages,
    distinct: count,
    revenue,
    identities,
    poison: POISON.slice(0, POISON.length - poison.length),
  };
}

/**
 * The messages as a topic holds them across an upgrade of the collector: the first half as they
 * are (version-1 records, one per event), the rest as the new collector writes them — within
 * each run of `run` messages, each person's valid records joined into version-2 records (in
 * order; the first one's receivedAt for all), everything else (poison) left as it is.
 */
export function upgradedHalfway(messages: readonly Message[], run = 4000): Message[] {
  const half = Math.floor(messages.length / 2);
  const out = messages.slice(0, half);
  for (let start = half; start < messages.length; start += run) {
    const groups = new Map<string, CollectedEvent[]>();
    const order: (Message | string)[] = [];
    for (const message of messages.slice(start, start + run)) {
      const record = loadableVersion1(message.value);
      if (record === undefined) {
        order.push(message);
        continue;
      }
      const key = String(message.key);
      const group = groups.get(key);
      if (group === undefined) {
        groups.set(key, [record]);
        order.push(key);
      } else group.push({ ...record, receivedAt: group[0]?.receivedAt ?? record.receivedAt });
    }
    for (const entry of order) {
      if (typeof entry !== 'string') out.push(entry);
      else {
        for (const value of encodeRecords(groups.get(entry) ?? [])) {
          out.push({ key: Buffer.from(entry), value });
        }
      }
    }
  }
  return out;
}

function loadableVersion1(value: Message['value']): CollectedEvent | undefined {
  try {
    const record = JSON.parse(String(value)) as CollectedEvent;
    const read = recordEvents(record);
    return read.ok && read.version === 1 && read.events.every((e) => e.ok) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Produces the messages (acks=all) in chunks; returns when all are acknowledged. */
export async function produce(
  kafka: Kafka,
  topic: string,
  messages: readonly Message[],
): Promise<void> {
  await ensureTopic(kafka, topic, PARTITIONS);
  const producer = kafka.producer();
  await producer.connect();
  try {
    // At most 2000 messages or 512 KB per send: a record batch must fit max.message.bytes.
    let chunk: Message[] = [];
    let bytes = 0;
    for (const message of messages) {
      const size = String(message.value ?? '').length + String(message.key ?? '').length;
      if (chunk.length > 0 && (chunk.length === 2000 || bytes + size > 512 * 1024)) {
        await producer.send({ topic, acks: -1, messages: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push(message);
      bytes += size;
    }
    if (chunk.length > 0) await producer.send({ topic, acks: -1, messages: chunk });
  } finally {
    await producer.disconnect();
  }
}

export interface ProcessorSetup {
  topic: string;
  deadLetterTopic: string;
  group: string;
  database: string;
  clickhouseUrl: string;
}

export function processorSetup(
  label: string,
  clickhouseUrl = testServices().clickhouseUrl,
): ProcessorSetup {
  const topic = uniqueTopic(label);
  return {
    topic,
    deadLetterTopic: `${topic}-dead`,
    group: `${topic}-loader`,
    database: uniqueDatabase(label),
    clickhouseUrl,
  };
}

export interface ProcessorChild extends ServiceProcess {
  url: string;
}

/** Runs processor/dist/main.js (build it first) against the setup; waits for /health. */
export async function startProcessorChild(
  setup: ProcessorSetup,
  env: Record<string, string> = {},
): Promise<ProcessorChild> {
  const port = await freePort();
  const child = startService('processor', {
    KAFKA_BROKERS: testServices().kafkaBrokers.join(','),
    KAFKA_EVENTS_TOPIC: setup.topic,
    KAFKA_DEAD_LETTER_TOPIC: setup.deadLetterTopic,
    KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
    KAFKA_CONSUMER_GROUP: setup.group,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    CLICKHOUSE_URL: setup.clickhouseUrl,
    CLICKHOUSE_DATABASE: setup.database,
    PROCESSOR_PORT: String(port),
    PROCESSOR_RETRY_MAX_MS: '1000',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.child.exitCode !== null) throw new Error(`processor exited: ${child.output()}`);
      return (await fetch(`${url}/health`)).ok ? true : undefined;
    },
    { timeoutMs: 30_000, what: `processor /health (${child.output()})` },
  );
  return { ...child, url };
}

/** Distinct events as queries see them: uniqExact, and a count over the deduplicated read. */
export async function visibleCounts(clickhouse: ClickHouseClient, database: string) {
  const deduped = dedupedEventsQuery({ database, columns: ['revenue'] });
  const result = await clickhouse.query({
    query: `SELECT
        (SELECT ${EXACT_EVENT_COUNT} FROM ${database}.events) AS distinct_events,
        (SELECT count() FROM (${deduped})) AS deduped_rows,
        (SELECT sum(revenue) FROM (${deduped})) AS revenue,
        (SELECT count() FROM ${database}.events) AS stored_rows`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, string | number>>();
  return {
    distinct: Number(row?.distinct_events),
    deduped: Number(row?.deduped_rows),
    revenue: Number(row?.revenue),
    stored: Number(row?.stored_rows),
  };
}

/** Polls until the distinct count reaches `expected` (or times out with the last count). */
export async function waitForDistinct(
  clickhouse: ClickHouseClient,
  database: string,
  expected: number,
  timeoutMs = 45_000,
): Promise<void> {
  let last = -1;
  await eventually(
    async () => {
      last = (await visibleCounts(clickhouse, database)).distinct;
      return last >= expected ? true : undefined;
    },
    { timeoutMs, intervalMs: 300, what: `${expected} distinct events (last seen: ${last})` },
  );
}

export async function distinctSoFar(
  clickhouse: ClickHouseClient,
  database: string,
): Promise<number> {
  try {
    return (await visibleCounts(clickhouse, database)).distinct;
  } catch {
    return 0; // the table does not exist yet
  }
}

export interface ReadDeadLetter {
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads `expected` messages of the dead-letter topic from the beginning. */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  expected: number,
): Promise<ReadDeadLetter[]> {
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 200 });
  const found: ReadDeadLetter[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          headers[name] = String(value);
        }
        found.push({ value: message.value, headers });
      },
    });
    await eventually(async () => (found.length >= expected ? true : undefined), {
      timeoutMs: 20_000,
      what: `${expected} dead letters (found ${found.length})`,
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}

/** Offsets the group committed vs. the topic's end offsets, per partition. */
export async function committedVsEnd(kafka: Kafka, topic: string, group: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return ends.map(({ partition, high }) => ({
      partition,
      end: high,
      committed: committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1',
    }));
  } finally {
    await admin.disconnect();
  }
}

export { DEAD_LETTER_HEADERS };
