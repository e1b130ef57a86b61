/**
 * One timed produce or consume of the Kafka client benchmark, and the topic checks around it. Each
 * reports events/s and the bench process's CPU per event from /proc (every thread: librdkafka's
 * own threads included), events being records × events per record.
 */
import { DEFAULT_TOPIC_PARTITIONS, ensureTopic } from '@waymark/contract/topics';
import { eventually } from '@waymark/test-harness';
import type { Admin, Kafka } from 'kafkajs';
import { cpuSeconds, microsPerEvent } from './cpu.js';
import { type Compression, type KafkaClientUnderTest, produceAll } from './kafka-client.js';
import type { BenchRecord } from './kafka-records.js';

export interface Timed {
  /** Events per second. */
  rate: number;
  /** Microseconds of the bench process's CPU per event; NaN when /proc is not readable. */
  cpuMicros: number;
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Starts the clock and the CPU meter; the returned function stops both. */
function stopwatch(events: number): () => Timed {
  const cpuBefore = cpuSeconds(process.pid);
  const started = performance.now();
  return () => {
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = cpuSeconds(process.pid);
    const used =
      cpuAfter === undefined || cpuBefore === undefined ? undefined : cpuAfter - cpuBefore;
    return { rate: events / elapsed, cpuMicros: microsPerEvent(used, events) ?? Number.NaN };
  };
}

/**
 * The collector's `ensureTopic`, retried until every partition has a leader: on a loaded machine
 * the broker can answer kafkajs's leader check before it knows the new topic, and fail it.
 */
export async function createTopic(kafka: Kafka, admin: Admin, topic: string): Promise<void> {
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

/** The records `topic` holds: its partitions' end offsets minus their start offsets. */
export async function storedRecords(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

/** Every record landed exactly once: the partitions' end offsets add up to the records sent. */
export async function assertTopicHolds(
  admin: Admin,
  topic: string,
  records: number,
): Promise<void> {
  const stored = await storedRecords(admin, topic);
  if (stored !== records) throw new Error(`${topic} holds ${stored} records; ${records} were sent`);
}

export interface ProduceRun {
  records: readonly BenchRecord[];
  eventsPerRecord: number;
  batchSize: number;
  /** Batches outstanding at once. */
  inFlight: number;
  compression: Compression;
  deadlineMs: number;
}

/** Produces every record; from the first send to the last acknowledgement (connect excluded). */
export async function timeProduce(
  client: KafkaClientUnderTest,
  topic: string,
  run: ProduceRun,
): Promise<Timed> {
  const producer = await client.producer(topic, run.compression);
  try {
    const stop = stopwatch(run.records.length * run.eventsPerRecord);
    await withDeadline(
      produceAll(producer, run.records, run.batchSize, run.inFlight),
      run.deadlineMs,
      `${client.name} producing ${run.records.length} records`,
    );
    return stop();
  } finally {
    await producer.close();
  }
}

export interface ConsumeRun {
  expected: { records: number; bytes: number };
  eventsPerRecord: number;
  deadlineMs: number;
}

/**
 * Reads `topic` from the beginning with a new group until every expected record arrived, then
 * checks that exactly the expected records and bytes were delivered; timed from the consumer's
 * start, so the group join is counted, as it is for a processor draining a backlog.
 */
export async function timeConsume(
  client: KafkaClientUnderTest,
  topic: string,
  groupId: string,
  run: ConsumeRun,
): Promise<Timed & { firstRecordMs: number }> {
  const { expected } = run;
  let seen = 0;
  let seenBytes = 0;
  let firstAt: number | undefined;
  let allSeen = () => {};
  const finished = new Promise<void>((resolve) => {
    allSeen = resolve;
  });
  const started = performance.now();
  const stop = stopwatch(expected.records * run.eventsPerRecord);
  const consumer = await client.consumer(topic, groupId, (records, bytes) => {
    firstAt ??= performance.now();
    seen += records;
    seenBytes += bytes;
    if (seen >= expected.records) allSeen();
  });
  let timed: Timed;
  try {
    await withDeadline(
      finished,
      run.deadlineMs,
      `${client.name} consuming ${expected.records} records`,
    );
    timed = stop();
  } finally {
    await consumer.stop();
  }
  if (seen !== expected.records || seenBytes !== expected.bytes) {
    throw new Error(
      `${client.name} delivered ${seen} records (${seenBytes} bytes) from ${topic}; ` +
        `expected ${expected.records} (${expected.bytes} bytes)`,
    );
  }
  return { ...timed, firstRecordMs: (firstAt ?? started) - started };
}
