/**
 * (2) Kafka clients: kafkajs (what the services use) against @platformatic/kafka, producing and
 * consuming the same records in the same run, clients alternating from run to run.
 *
 * Each run, every client produces the same `CollectedEvent` records (many persons' keys) to its own
 * topic with the collector's partition count the way the collector does: batches of 500, one
 * outstanding at a time (the collector's coalescer), acks = all, idempotent, the same compression.
 * Every topic is then checked to hold exactly the records sent.
 * Both clients then read one of those topics (the same log) from the beginning with a fresh consumer
 * group until every record has arrived; consume time runs from the consumer's start, so the group
 * join is counted, as it is for a processor draining a backlog.
 *
 * A probe also sends overlapping idempotent batches with each client and counts what the topic
 * holds: @platformatic/kafka 1.x acknowledges every batch but stores only some (its
 * platformatic/kafka#326, fixed in 2.x, which needs Node 22): with it, sends must never overlap on
 * one producer (several producers with one send out each, as the collector's lanes are, are fine).
 */
import { DEFAULT_TOPIC_PARTITIONS, ensureTopic } from '@waymark/contract/topics';
import { eventually } from '@waymark/test-harness';
import type { Admin, Kafka } from 'kafkajs';
import {
  COMPRESSIONS,
  type Compression,
  type KafkaClientUnderTest,
  produceAll,
} from './kafka-client.js';
import { kafkajsClient } from './kafka-kafkajs.js';
import { type BenchRecord, collectedRecords, valueBytes } from './kafka-records.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { benchKafka } from './services.js';
import { median } from './stats.js';

const BENCH = 'Kafka clients';
const BATCH_SIZE = 500;
/** One produce outstanding per producer, as the collector's coalescer keeps it. */
const OUTSTANDING_BATCHES = 1;
/** The overlap probe: batches outstanding at once, and records in all. */
const PROBE_OUTSTANDING = 4;
const PROBE_RECORDS = 5_000;
const WARM_UP_RECORDS = 5_000;

const firstLine = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * The collector's `ensureTopic`, retried until every partition has a leader: on a loaded machine
 * the broker can answer kafkajs's leader check before it knows the new topic, and fail it.
 */
async function createTopic(kafka: Kafka, admin: Admin, topic: string): Promise<void> {
  await eventually(
    async () => {
      await ensureTopic(kafka, topic, DEFAULT_TOPIC_PARTITIONS);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      const led =
        partitions.length === DEFAULT_TOPIC_PARTITIONS && partitions.every((p) => p.leader >= 0);
      return led ? true : undefined;
    },
    { timeoutMs: 30_000, what: `topic ${topic} with a leader for every partition` },
  );
}

/** A row that says why a client has no figures (the report shows its value as n/a). */
function notMeasured(client: string, reason: string): BenchRow {
  return {
    bench: BENCH,
    measure: `${client}: not measured — ${reason}`,
    value: Number.NaN,
    unit: 'ev/s',
    runs: [],
  };
}

/** The clients that load on this Node.js, and a row for each one that does not. */
async function loadClients(
  ctx: BenchContext,
): Promise<{ clients: KafkaClientUnderTest[]; absent: BenchRow[] }> {
  const clients = [kafkajsClient(benchKafka(ctx))];
  const absent: BenchRow[] = [];
  try {
    const { platformaticClient } = await import('./kafka-platformatic.js');
    clients.push(platformaticClient(ctx.kafkaBrokers));
  } catch (err) {
    absent.push(
      notMeasured(
        '@platformatic/kafka',
        `does not load on Node ${process.version}: ${firstLine(err)}`,
      ),
    );
  }
  // Not a dependency: it is probed so the row states the reason seen on this machine.
  const confluent: string = '@confluentinc/kafka-javascript';
  try {
    await import(confluent);
    absent.push(notMeasured(confluent, 'it loads here, but the bench has no adapter for it yet'));
  } catch (err) {
    const seen =
      (err as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND'
        ? 'not installed'
        : firstLine(err);
    absent.push(
      notMeasured(
        confluent,
        `${seen}: its native addon comes from an install script (blocked here by npm's allowScripts) ` +
          'that downloads a prebuilt binary from outside the npm registry, which this machine cannot reach',
      ),
    );
  }
  return { clients, absent };
}

const slug = (client: KafkaClientUnderTest) =>
  client.name.split(' ')[0]?.replace(/[^a-z0-9]+/gi, '') ?? 'client';

/** Produces every record; events/s from the first send to the last acknowledgement. */
async function timeProduce(
  client: KafkaClientUnderTest,
  topic: string,
  records: readonly BenchRecord[],
  compression: Compression,
  deadlineMs: number,
  concurrency = OUTSTANDING_BATCHES,
): Promise<number> {
  const producer = await client.producer(topic, compression);
  try {
    const started = performance.now();
    await withDeadline(
      produceAll(producer, records, BATCH_SIZE, concurrency),
      deadlineMs,
      `${client.name} producing ${records.length} records`,
    );
    return records.length / ((performance.now() - started) / 1000);
  } finally {
    await producer.close();
  }
}

/**
 * Reads `topic` from the beginning with a new group until `total` records arrived, then checks
 * that exactly the expected records and bytes were delivered; events/s from the consumer's start.
 */
async function timeConsume(
  client: KafkaClientUnderTest,
  topic: string,
  groupId: string,
  expected: { records: number; bytes: number },
  deadlineMs: number,
): Promise<{ rate: number; firstRecordMs: number }> {
  let seen = 0;
  let seenBytes = 0;
  let firstAt: number | undefined;
  let allSeen = () => {};
  const finished = new Promise<void>((resolve) => {
    allSeen = resolve;
  });
  const started = performance.now();
  const consumer = await client.consumer(topic, groupId, (records, bytes) => {
    firstAt ??= performance.now();
    seen += records;
    seenBytes += bytes;
    if (seen >= expected.records) allSeen();
  });
  let elapsedMs: number;
  try {
    await withDeadline(
      finished,
      deadlineMs,
      `${client.name} consuming ${expected.records} records`,
    );
    elapsedMs = performance.now() - started;
  } finally {
    await consumer.stop();
  }
  if (seen !== expected.records || seenBytes !== expected.bytes) {
    throw new Error(
      `${client.name} delivered ${seen} records (${seenBytes} bytes) from ${topic}; ` +
        `expected ${expected.records} (${expected.bytes} bytes)`,
    );
  }
  return {
    rate: expected.records / (elapsedMs / 1000),
    firstRecordMs: (firstAt ?? started) - started,
  };
}

/** Every record landed exactly once: the partitions' end offsets add up to the records sent. */
async function assertTopicHolds(admin: Admin, topic: string, records: number): Promise<void> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const stored = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  if (stored !== records) throw new Error(`${topic} holds ${stored} records; ${records} were sent`);
}

/** Produces and consumes a few records with every client (JIT, connections); not measured. */
async function warmUp(
  ctx: BenchContext,
  kafka: Kafka,
  admin: Admin,
  clients: readonly KafkaClientUnderTest[],
  compression: Compression,
): Promise<void> {
  const records = collectedRecords(WARM_UP_RECORDS, 500);
  const expected = { records: records.length, bytes: valueBytes(records) };
  for (const client of clients) {
    const topic = `${ctx.runId}_kafka_warm_${compression}_${slug(client)}`;
    await createTopic(kafka, admin, topic);
    await timeProduce(client, topic, records, compression, 60_000);
    await timeConsume(client, topic, `${topic}_group`, expected, 60_000);
    await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  }
}

/**
 * Sends `PROBE_RECORDS` records in batches with `PROBE_OUTSTANDING` sends outstanding at once
 * (idempotent, acks = all) and counts what the topic holds. Every send resolving is not enough:
 * a client that reuses a sequence number has its batch dropped by the broker as a duplicate.
 */
async function overlapProbe(
  ctx: BenchContext,
  kafka: Kafka,
  admin: Admin,
  client: KafkaClientUnderTest,
): Promise<BenchRow> {
  const topic = `${ctx.runId}_kafka_overlap_${slug(client)}`;
  await createTopic(kafka, admin, topic);
  const records = collectedRecords(PROBE_RECORDS, 500);
  await timeProduce(client, topic, records, 'none', 60_000, PROBE_OUTSTANDING);
  const offsets = await admin.fetchTopicOffsets(topic);
  const stored = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  ctx.log(
    `kafka overlap probe: ${client.name} stored ${stored} of ${records.length} acknowledged records`,
  );
  return {
    bench: BENCH,
    measure: `${client.name}: records stored after ${PROBE_OUTSTANDING} overlapping idempotent sends of ${BATCH_SIZE} (every send acknowledged)`,
    value: stored,
    unit: 'records',
    baseline: { name: 'records acknowledged', value: records.length },
    ratio: stored / records.length,
    target: 'every acknowledged record stored',
    met: stored === records.length,
    runs: [stored],
  };
}

/** One row per client for one measure, the first client (kafkajs) as every other's baseline. */
function clientRows(
  clients: readonly KafkaClientUnderTest[],
  rates: ReadonlyMap<string, number[]>,
  what: string,
): BenchRow[] {
  const baseline = clients[0] as KafkaClientUnderTest;
  const baseValue = median(rates.get(baseline.name) ?? []);
  return clients.map((client) => {
    const runs = rates.get(client.name) ?? [];
    const value = median(runs);
    return {
      bench: BENCH,
      measure: `${client.name}: ${what}`,
      value,
      unit: 'ev/s',
      ...(client === baseline
        ? {}
        : { baseline: { name: baseline.name, value: baseValue }, ratio: value / baseValue }),
      runs,
    };
  });
}

export async function benchKafkaClients(ctx: BenchContext): Promise<BenchRow[]> {
  const total = ctx.quick ? 100_000 : 500_000;
  const deadlineMs = ctx.quick ? 120_000 : 600_000;
  const records = collectedRecords(total, Math.max(1_000, total / 10));
  const expected = { records: total, bytes: valueBytes(records) };
  const recordKb = (expected.bytes / total / 1024).toFixed(1);
  const { clients, absent } = await loadClients(ctx);
  for (const row of absent) ctx.log(`kafka clients: ${row.measure}`);
  const kafka = benchKafka(ctx);
  const admin = kafka.admin();
  await admin.connect();
  const rows: BenchRow[] = [];
  try {
    for (const compression of COMPRESSIONS) {
      await warmUp(ctx, kafka, admin, clients, compression);
      const produced = new Map(clients.map((c) => [c.name, [] as number[]]));
      const consumed = new Map(clients.map((c) => [c.name, [] as number[]]));
      for (let run = 0; run < ctx.runs; run++) {
        const order = run % 2 === 0 ? clients : [...clients].reverse();
        const topics: string[] = [];
        for (const client of order) {
          const topic = `${ctx.runId}_kafka_${compression}_${run}_${slug(client)}`;
          await createTopic(kafka, admin, topic);
          const rate = await timeProduce(client, topic, records, compression, deadlineMs);
          await assertTopicHolds(admin, topic, total);
          produced.get(client.name)?.push(rate);
          topics.push(topic);
          ctx.log(
            `kafka ${compression} run ${run + 1}: ${client.name} produced ${Math.round(rate)} ev/s`,
          );
        }
        // Every client reads the same log: the one the run's first producer wrote.
        const shared = topics[0] as string;
        for (const client of order) {
          const group = `${shared}_read_${slug(client)}`;
          const { rate, firstRecordMs } = await timeConsume(
            client,
            shared,
            group,
            expected,
            deadlineMs,
          );
          consumed.get(client.name)?.push(rate);
          ctx.log(
            `kafka ${compression} run ${run + 1}: ${client.name} consumed ${Math.round(rate)} ev/s ` +
              `(first record after ${Math.round(firstRecordMs)} ms)`,
          );
        }
        await admin.deleteTopics({ topics, timeout: 30_000 });
      }
      const label = compression === 'none' ? 'no compression' : compression;
      const what = `${total.toLocaleString('en-US')} records of ${recordKb} KB`;
      rows.push(
        ...clientRows(
          clients,
          produced,
          `produce, ${label} (${what}, batches of ${BATCH_SIZE} one at a time, acks=all, idempotent)`,
        ),
        ...clientRows(
          clients,
          consumed,
          `consume, ${label} (the same ${what}, from the beginning, new group, join included)`,
        ),
      );
    }
    for (const client of clients) rows.push(await overlapProbe(ctx, kafka, admin, client));
  } finally {
    await admin.disconnect();
  }
  return [...rows, ...absent];
}
