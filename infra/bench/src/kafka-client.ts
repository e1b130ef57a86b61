/**
 * What the Kafka client benchmark needs from a client, so each library sits behind one small
 * adapter and the runner applies the same batching, settings and timing to all of them.
 */
import type { BenchRecord } from './kafka-records.js';

/** The report's name for the Kafka client benchmark. */
export const BENCH = 'Kafka clients';

export const COMPRESSIONS = ['none', 'gzip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/**
 * Settings every adapter applies (the collector's producer and the processor's fetch sizes):
 * acks from all in-sync replicas, idempotent, one request in flight per broker (what both
 * libraries force for an idempotent producer), and the same fetch limits for the consumers.
 */
export const CLIENT_SETTINGS = {
  acks: -1,
  idempotent: true,
  fetchMaxBytes: 10 * 1024 * 1024,
  fetchMaxBytesPerPartition: 1024 * 1024,
  fetchMaxWaitMs: 500,
} as const;

export interface BenchProducer {
  /** Produces one batch; resolves once the broker acknowledged every record of it. */
  send(batch: readonly BenchRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface BenchConsumer {
  /** Leaves the group and disconnects (no offsets are committed). */
  stop(): Promise<void>;
}

export interface KafkaClientUnderTest {
  /** Library name and version, as the report shows it. */
  readonly name: string;
  /**
   * Sends outstanding at once in the library's own pattern, measured besides the collector's one
   * at a time; only for a library that stays correct with several (the overlap probe checks).
   */
  readonly inFlight?: number;
  /** A connected producer for `topic` (connection and metadata are not part of the timing). */
  producer(topic: string, compression: Compression): Promise<BenchProducer>;
  /**
   * Joins the new consumer group `groupId` and reads `topic` from the beginning, reporting every
   * delivery (record count and value bytes) to `onRecords` as the library hands records over.
   */
  consumer(
    topic: string,
    groupId: string,
    onRecords: (records: number, valueBytes: number) => void,
  ): Promise<BenchConsumer>;
}

/**
 * Produces `records` in consecutive batches of `batchSize`, `concurrency` batches outstanding at
 * once, every client through this same loop. The collector keeps one produce outstanding per
 * producer (its coalescer gathers concurrent requests into the next batch), so every client is
 * timed with a concurrency of 1; a client's own `inFlight` and the overlap probe use more.
 */
export async function produceAll(
  producer: BenchProducer,
  records: readonly BenchRecord[],
  batchSize: number,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const batch = records.slice(next, next + batchSize);
      next += batch.length;
      await producer.send(batch);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
