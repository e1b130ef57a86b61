/**
 * Everything @platformatic/kafka about the collector, in one file: its producer settings, its
 * partitioner and its gzip level, and the client behind `ProducerLanes` (KAFKA_CLIENT=platformatic).
 * It encodes produce requests with less CPU per record than kafkajs (~14 µs against ~34 µs).
 * Version 1.x acknowledges but loses records when idempotent sends overlap on one producer
 * (platformatic/kafka#326, fixed in 2.x, which needs Node.js 22). The coalescer keeps one send
 * outstanding per lane; `oneSendPerLane` checks that here, where it matters, and refuses an
 * overlapping send (the request gets its 503 and is retried) instead of letting it lose records.
 */

import { gzipSync } from 'node:zlib';
import {
  type CompressionAlgorithmSpecification,
  CompressionAlgorithms,
  compatibilityPartitioner,
  compressionsAlgorithms,
  type Partitioner,
  ProduceAcks,
  Producer,
  stringSerializers,
} from '@platformatic/kafka';
import {
  clientBudget,
  type KafkaSettings,
  openProducerLanes,
  type ProducerLanes,
  type TopicRecords,
} from './kafka-client.js';

type StringProducer = Producer<string, string, string, string>;

/**
 * Kafka's Java (and kafkajs's default) placement: murmur2 of the key, made positive with
 * `& 0x7fffffff`; the client takes it modulo the partition count. The library's own default
 * (`>>> 0`) places some keys elsewhere, which would move a person's events between partitions when
 * the collector's client changes. Equal keys in a row (the events of one request share one) are
 * hashed once.
 */
export function javaCompatiblePartitioner(): Partitioner<string, string, string, string> {
  let lastTopic: string | undefined;
  let lastKey: string | undefined;
  let lastHash = 0;
  return (message, key) => {
    if (message.key === undefined) return compatibilityPartitioner(message, key);
    if (message.key === lastKey && message.topic === lastTopic) return lastHash;
    lastHash = compatibilityPartitioner(message, key);
    lastKey = message.key;
    lastTopic = message.topic;
    return lastHash;
  };
}

/**
 * The library gzips at zlib's default level (6) and takes no codec option; the collector's
 * KAFKA_GZIP_LEVEL applies here too by replacing its gzip function, which is typed read-only but
 * looked up on every produce. Called only in the producer thread, whose producers are the only
 * users of the module there.
 */
export function useGzipLevel(level: number): void {
  const gzip: Pick<CompressionAlgorithmSpecification, 'compressSync'> = compressionsAlgorithms.gzip;
  gzip.compressSync = (data) => gzipSync(Buffer.isBuffer(data) ? data : data.buffer, { level });
}

/** Two sends at once on one lane (one producer): never sent, since 1.35 would lose records. */
export class OverlappingSendError extends Error {
  override readonly name = 'OverlappingSendError';
}

/**
 * `send`, refusing a second send on a lane whose previous one has not settled: the safety of
 * @platformatic/kafka 1.35's idempotent producer rests on that rule (platformatic/kafka#326).
 */
export function oneSendPerLane<A extends unknown[]>(
  send: (lane: number, ...args: A) => Promise<void>,
): (lane: number, ...args: A) => Promise<void> {
  const busy = new Set<number>();
  return async (lane, ...args) => {
    if (busy.has(lane)) {
      throw new OverlappingSendError(
        `a second send on producer lane ${lane} before the first settled: refused, since ` +
          '@platformatic/kafka 1.x loses records of overlapping idempotent sends',
      );
    }
    busy.add(lane);
    try {
      await send(lane, ...args);
    } finally {
      busy.delete(lane);
    }
  };
}

export async function connectPlatformaticLanes(config: KafkaSettings): Promise<ProducerLanes> {
  useGzipLevel(config.gzipLevel);
  const topics = [config.eventsTopic, config.invalidEventsTopic];
  const budget = clientBudget(config);
  const producers = await openProducerLanes(
    config.producers,
    (): StringProducer =>
      new Producer({
        clientId: 'waymark-collector',
        bootstrapBrokers: [...config.brokers],
        serializers: stringSerializers,
        idempotent: true,
        acks: ProduceAcks.ALL,
        compression: config.compression === 'gzip' ? CompressionAlgorithms.GZIP : 'none',
        partitioner: javaCompatiblePartitioner(),
        connectTimeout: budget.connectTimeoutMs,
        requestTimeout: budget.requestTimeoutMs,
        timeout: budget.requestTimeoutMs,
        retries: budget.retries,
        retryDelay: (_client, _operation, attempt) =>
          Math.min(budget.maxRetryMs, budget.initialRetryMs * 2 ** (attempt - 1)),
      }),
    // Connects, loads the topics' metadata and gets the producer its id before the first event.
    async (producer) => {
      await producer.metadata({ topics });
      await producer.initIdempotentProducer({});
    },
    (producer) => producer.close(),
  );
  return {
    send: oneSendPerLane(async (lane, batch: readonly TopicRecords[]) => {
      const messages: { topic: string; key: string; value: string }[] = [];
      for (const { topic, records } of batch) {
        for (const { key, value } of records) messages.push({ topic, key, value });
      }
      await producers[lane]!.use((producer) => producer.send({ messages }));
    }),
    async close() {
      await Promise.allSettled(producers.map((p) => p.close()));
    },
  };
}
