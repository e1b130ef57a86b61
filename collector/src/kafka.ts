/**
 * The collector's one Kafka producer (kafkajs), behind the small `EventSink` interface so the
 * client can be swapped or benchmarked, and so HTTP tests can use a fake.
 */
import { CompressionTypes, Kafka, logLevel, type TopicMessages } from 'kafkajs';
import { coalesce } from './coalesce.js';
import type { CollectorConfig } from './config.js';
import { sameKeyPartitioner } from './partitioner.js';
import { ensureTopics } from './topics.js';

export interface ProducedRecord {
  key: string;
  value: string;
}

export interface SinkBatch {
  /** `CollectedEvent` records for the events topic. */
  events: readonly ProducedRecord[];
  /** `InvalidEventRecord` records for the invalid-events topic. */
  invalid: readonly ProducedRecord[];
}

export interface EventSink {
  /**
   * Resolves only once the broker acknowledged every record (acks = all in-sync replicas).
   * Aborting `signal` withdraws records not yet handed to the producer (they will never land).
   */
  send(batch: SinkBatch, signal?: AbortSignal): Promise<void>;
  /** Whether the broker answers a metadata request now. */
  ready(): Promise<boolean>;
  /** Flushes and disconnects. */
  close(): Promise<void>;
}

/** Record bytes (uncompressed) gathered into one produce request from concurrent HTTP requests. */
const GROUP_BYTES = 512 * 1024;

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Connects the producer and creates the topics when missing. Retries are bounded (kafkajs
 * would otherwise retry an idempotent send forever): a send to an unreachable broker fails
 * within about `produceTimeoutMs` on its own, so the collector can answer 503 and the client retry
 * later. The route still races a timer of `produceTimeoutMs` as the hard bound: records still
 * waiting in the coalescer are withdrawn then, but a produce already out (a broker that accepts
 * connections but does not answer) may still land later, so Kafka holds events at least once and
 * the processor dedupes by messageId.
 */
export async function connectKafkaSink(config: CollectorConfig['kafka']): Promise<EventSink> {
  const retryBudget = Math.max(100, Math.floor(config.produceTimeoutMs / 4));
  const kafka = new Kafka({
    clientId: 'waymark-collector',
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(3000, retryBudget),
    requestTimeout: Math.max(500, Math.floor(config.produceTimeoutMs / 3)),
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: retryBudget },
  });
  await ensureTopics(kafka, [config.eventsTopic, config.invalidEventsTopic], config.partitions);
  // Several idempotent producers (each its own producer id and sequence numbers) so that one
  // group's round trip to the broker overlaps the next group's encoding. Records of one request
  // always travel together, so a person's events stay in order within a request; requests in
  // flight at the same time have no order between them anyway.
  const producers = Array.from({ length: config.producers }, () =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: sameKeyPartitioner,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: retryBudget },
    }),
  );
  await Promise.all(producers.map((p) => p.connect()));
  const admin = kafka.admin();
  let adminConnected = false;
  const compression = config.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;

  const send = coalesce(
    async ({ events, invalid }, lane) => {
      const topicMessages: TopicMessages[] = [];
      if (events.length > 0) {
        topicMessages.push({ topic: config.eventsTopic, messages: events });
      }
      if (invalid.length > 0) {
        topicMessages.push({ topic: config.invalidEventsTopic, messages: invalid });
      }
      if (topicMessages.length > 0) {
        await producers[lane]!.sendBatch({ topicMessages, acks: -1, compression });
      }
    },
    GROUP_BYTES,
    producers.length,
  );

  return {
    send,
    async ready() {
      try {
        if (!adminConnected) {
          await timeout(admin.connect(), 2000, 'connecting to Kafka');
          adminConnected = true;
        }
        await timeout(
          admin.fetchTopicMetadata({ topics: [config.eventsTopic] }),
          2000,
          'Kafka metadata',
        );
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.allSettled([...producers.map((p) => p.disconnect()), admin.disconnect()]);
    },
  };
}
