/**
 * (2) Kafka clients: kafkajs (what the services use), @platformatic/kafka and
 * @confluentinc/kafka-javascript (librdkafka), producing and consuming the same records in the same
 * run, clients alternating from run to run.
 *
 * Each run, every client produces the same `CollectedEvent` records (many persons' keys) to its own
 * topic with the collector's partition count the way the collector does: sends of 500 events, one
 * outstanding at a time (the collector's coalescer), acks = all, idempotent, the same compression;
 * a client with a pattern of its own (librdkafka: many sends in flight) is also timed that way.
 * Records hold 1 event (today's collector) or 20 (one record per request and person, the design
 * the collector is moving to); a send holds 500 events either way (500 records or 25), the same
 * bytes. Every topic is then checked to hold exactly the records sent.
 * Every client then reads one of those topics (the same log) from the beginning with a fresh
 * consumer group until every record has arrived; consume time runs from the consumer's start, so
 * the group join is counted, as it is for a processor draining a backlog.
 * Each produce and consume also reports the bench process's CPU per event from /proc.
 *
 * A probe also sends overlapping idempotent batches with each client and counts what the topic
 * holds: @platformatic/kafka 1.x acknowledges every batch but stores only some (its
 * platformatic/kafka#326, fixed in 2.x, which needs Node 22): with it, sends must never overlap on
 * one producer (several producers with one send out each, as the collector's lanes are, are fine).
 */
import type { Admin, Kafka } from 'kafkajs';
import {
  BENCH,
  COMPRESSIONS,
  type Compression,
  type KafkaClientUnderTest,
} from './kafka-client.js';
import { loadClients } from './kafka-load-clients.js';
import { collectedRecords, valueBytes } from './kafka-records.js';
import {
  assertTopicHolds,
  createTopic,
  storedRecords,
  type Timed,
  timeConsume,
  timeProduce,
} from './kafka-runs.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { benchKafka } from './services.js';
import { median } from './stats.js';

/** Events per send: 500 records of 1 event, or 25 of 20 (the same bytes). */
const BATCH_EVENTS = 500;
/** Today's records (1 event each) and one record per request and person (20 events). */
const EVENTS_PER_RECORD = [1, 20] as const;
/** The overlap probe: batches outstanding at once, and records in all. */
const PROBE_OUTSTANDING = 4;
const PROBE_RECORDS = 5_000;
const WARM_UP_EVENTS = 5_000;

/** A client and how it is driven: `inFlight` sends of BATCH_EVENTS outstanding at once. */
interface Contender {
  client: KafkaClientUnderTest;
  inFlight: number;
  /** The client and its pattern, as the report shows them. */
  name: string;
  slug: string;
}

const clientSlug = (client: KafkaClientUnderTest) =>
  client.name.split(' ')[0]?.replace(/[^a-z0-9]+/gi, '') ?? 'client';

/** Every client one send at a time; a client with a pattern of its own, also that way. */
function contenders(clients: readonly KafkaClientUnderTest[]): Contender[] {
  return clients.flatMap((client) => {
    const own = client.inFlight ?? 1;
    return [
      { client, inFlight: 1, name: `${client.name}, one send at a time`, slug: clientSlug(client) },
      ...(own > 1
        ? [
            {
              client,
              inFlight: own,
              name: `${client.name}, ${own} sends in flight`,
              slug: `${clientSlug(client)}${own}`,
            },
          ]
        : []),
    ];
  });
}

/** Produces and consumes a few records with every client (JIT, connections); not measured. */
async function warmUp(
  ctx: BenchContext,
  kafka: Kafka,
  admin: Admin,
  clients: readonly KafkaClientUnderTest[],
  compression: Compression,
  eventsPerRecord: number,
): Promise<void> {
  const records = collectedRecords(WARM_UP_EVENTS, 500, eventsPerRecord);
  const expected = { records: records.length, bytes: valueBytes(records) };
  for (const c of contenders(clients)) {
    const topic = `${ctx.runId}_kafka_warm_${compression}_${eventsPerRecord}_${c.slug}`;
    await createTopic(kafka, admin, topic);
    const batchSize = BATCH_EVENTS / eventsPerRecord;
    const run = { records, eventsPerRecord, batchSize, compression, deadlineMs: 60_000 };
    await timeProduce(c.client, topic, { ...run, inFlight: c.inFlight });
    await timeConsume(c.client, topic, `${topic}_group`, {
      expected,
      eventsPerRecord,
      deadlineMs: 60_000,
    });
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
  const topic = `${ctx.runId}_kafka_overlap_${clientSlug(client)}`;
  await createTopic(kafka, admin, topic);
  const records = collectedRecords(PROBE_RECORDS, 500);
  await timeProduce(client, topic, {
    records,
    eventsPerRecord: 1,
    batchSize: BATCH_EVENTS,
    inFlight: PROBE_OUTSTANDING,
    compression: 'none',
    deadlineMs: 60_000,
  });
  const stored = await storedRecords(admin, topic);
  await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  ctx.log(
    `kafka overlap probe: ${client.name} stored ${stored} of ${records.length} acknowledged records`,
  );
  return {
    bench: BENCH,
    measure: `${client.name}: records stored after ${PROBE_OUTSTANDING} overlapping idempotent sends of ${BATCH_EVENTS} (every send acknowledged)`,
    value: stored,
    unit: 'records',
    baseline: { name: 'records acknowledged', value: records.length },
    ratio: stored / records.length,
    target: 'every acknowledged record stored',
    met: stored === records.length,
    runs: [stored],
  };
}

/** Each contender's runs of one measure, by contender name. */
type Runs = Map<string, Timed[]>;

/** One row per contender for one figure, the first (kafkajs, one send at a time) as baseline. */
function rowsOf(
  names: readonly string[],
  runs: Runs,
  what: string,
  figure: 'rate' | 'cpuMicros',
): BenchRow[] {
  const values = (name: string) => (runs.get(name) ?? []).map((t) => t[figure]);
  const baseline = names[0] as string;
  const baseValue = median(values(baseline));
  return names.map((name) => {
    const value = median(values(name));
    return {
      bench: BENCH,
      measure: `${name}: ${what}`,
      value,
      unit: figure === 'rate' ? 'ev/s' : 'µs/event',
      ...(name === baseline
        ? {}
        : { baseline: { name: baseline, value: baseValue }, ratio: value / baseValue }),
      runs: values(name),
    };
  });
}

const push = (runs: Runs, name: string, timed: Timed) => {
  runs.set(name, [...(runs.get(name) ?? []), timed]);
};

const round = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '?');

/** Every contender produces, and every client consumes, `total` events in records of `per`. */
async function benchShape(
  ctx: BenchContext,
  kafka: Kafka,
  admin: Admin,
  clients: readonly KafkaClientUnderTest[],
  compression: Compression,
  per: number,
  total: number,
): Promise<BenchRow[]> {
  const deadlineMs = ctx.quick ? 120_000 : 600_000;
  const records = collectedRecords(total, Math.max(1_000, total / 10), per);
  const expected = { records: records.length, bytes: valueBytes(records) };
  const all = contenders(clients);
  const produced: Runs = new Map();
  const consumed: Runs = new Map();
  const tag = `${compression} ${per}/record`;
  for (let run = 0; run < ctx.runs; run++) {
    const order = run % 2 === 0 ? all : [...all].reverse();
    const topics: string[] = [];
    for (const c of order) {
      const topic = `${ctx.runId}_kafka_${compression}_${per}_${run}_${c.slug}`;
      await createTopic(kafka, admin, topic);
      const timed = await timeProduce(c.client, topic, {
        records,
        eventsPerRecord: per,
        batchSize: BATCH_EVENTS / per,
        inFlight: c.inFlight,
        compression,
        deadlineMs,
      });
      await assertTopicHolds(admin, topic, records.length);
      push(produced, c.name, timed);
      topics.push(topic);
      ctx.log(
        `kafka ${tag} run ${run + 1}: ${c.name} produced ${Math.round(timed.rate)} ev/s, ` +
          `${round(timed.cpuMicros)} µs CPU/event`,
      );
    }
    // Every client reads the same log: the one the run's first producer wrote.
    const shared = topics[0] as string;
    for (const client of run % 2 === 0 ? clients : [...clients].reverse()) {
      const group = `${shared}_read_${clientSlug(client)}`;
      const timed = await timeConsume(client, shared, group, {
        expected,
        eventsPerRecord: per,
        deadlineMs,
      });
      push(consumed, client.name, timed);
      ctx.log(
        `kafka ${tag} run ${run + 1}: ${client.name} consumed ${Math.round(timed.rate)} ev/s, ` +
          `${round(timed.cpuMicros)} µs CPU/event (first record after ${Math.round(timed.firstRecordMs)} ms)`,
      );
    }
    await admin.deleteTopics({ topics, timeout: 30_000 });
  }
  const label = compression === 'none' ? 'no compression' : compression;
  const recordKb = (expected.bytes / records.length / 1024).toFixed(1);
  const shape = `${per === 1 ? '1 event' : `${per} events`} per record`;
  const what =
    `${total.toLocaleString('en-US')} events in ${records.length.toLocaleString('en-US')} ` +
    `records of ${recordKb} KB`;
  const sends = `sends of ${BATCH_EVENTS} events (${BATCH_EVENTS / per} records)`;
  const produce = `produce, ${label}, ${shape}`;
  const consume = `consume, ${label}, ${shape}`;
  const cpu = 'CPU per event (bench process, /proc)';
  const names = all.map((c) => c.name);
  return [
    ...rowsOf(names, produced, `${produce} (${what}, ${sends}, acks=all, idempotent)`, 'rate'),
    ...rowsOf(names, produced, `${produce}: ${cpu}`, 'cpuMicros'),
    ...rowsOf(
      clients.map((c) => c.name),
      consumed,
      `${consume} (the same ${what}, from the beginning, new group, join included)`,
      'rate',
    ),
    ...rowsOf(
      clients.map((c) => c.name),
      consumed,
      `${consume}: ${cpu}`,
      'cpuMicros',
    ),
  ];
}

export async function benchKafkaClients(ctx: BenchContext): Promise<BenchRow[]> {
  const total = ctx.quick ? 100_000 : 500_000;
  const { clients, absent } = await loadClients(ctx);
  for (const row of absent) ctx.log(`kafka clients: ${row.measure}`);
  const kafka = benchKafka(ctx);
  const admin = kafka.admin();
  await admin.connect();
  const rows: BenchRow[] = [];
  try {
    for (const compression of COMPRESSIONS) {
      for (const per of EVENTS_PER_RECORD) {
        await warmUp(ctx, kafka, admin, clients, compression, per);
        rows.push(...(await benchShape(ctx, kafka, admin, clients, compression, per, total)));
      }
    }
    for (const client of clients) rows.push(await overlapProbe(ctx, kafka, admin, client));
  } finally {
    await admin.disconnect();
  }
  return [...rows, ...absent];
}
