/**
 * @platformatic/kafka behind `ProducerLanes` (KAFKA_CLIENT=platformatic): it encodes produce
 * requests with less CPU per record than kafkajs. Version 1.x acknowledges but loses records when
 * idempotent sends overlap on one producer (platformatic/kafka#326, fixed in 2.x, which needs
 * Node.js 22); the coalescer never lets them overlap (one send outstanding per producer).
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
  connectTimeout,
  INITIAL_RETRY_MS,
  type KafkaSettings,
  openProducerLanes,
  type ProducerLanes,
  RETRIES,
  requestTimeout,
  retryBudget,
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

/** The library gzips at zlib's default level (6); the collector's KAFKA_GZIP_LEVEL applies here too. */
export function useGzipLevel(level: number): void {
  // Typed read-only, but the library looks the codec up on every produce: this thread's producers
  // are the only users of the module.
  const gzip: Pick<CompressionAlgorithmSpecification, 'compressSync'> = compressionsAlgorithms.gzip;
  gzip.compressSync = (data) => gzipSync(Buffer.isBuffer(data) ? data : data.buffer, { level });
}

export async function connectPlatformaticLanes(config: KafkaSettings): Promise<ProducerLanes> {
  useGzipLevel(config.gzipLevel);
  const topics = [config.eventsTopic, config.invalidEventsTopic];
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
        connectTimeout: connectTimeout(config),
        requestTimeout: requestTimeout(config),
        timeout: requestTimeout(config),
        retries: RETRIES,
        retryDelay: (_client, _operation, attempt) =>
          Math.min(retryBudget(config), INITIAL_RETRY_MS * 2 ** (attempt - 1)),
      }),
    // Connects, loads the topics' metadata and gets the producer its id before the first event.
    async (producer) => {
      await producer.metadata({ topics });
      await producer.initIdempotentProducer({});
    },
    (producer) => producer.close(),
  );
  return {
    async send(lane, batch) {
      const messages: { topic: string; key: string; value: string }[] = [];
      for (const { topic, records } of batch) {
        for (const { key, value } of records) messages.push({ topic, key, value });
      }
      await producers[lane]!.use((producer) => producer.send({ messages }));
    },
    async close() {
      await Promise.allSettled(producers.map((p) => p.close()));
    },
  };
}
