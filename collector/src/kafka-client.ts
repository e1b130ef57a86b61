/**
 * The kafkajs client settings, shared by the producer thread and the HTTP thread's admin client.
 * Retries are bounded (kafkajs would otherwise retry an idempotent send forever): a send to an
 * unreachable broker fails within about `produceTimeoutMs` on its own.
 */
import kafkajs, { type Kafka, type ProducerConfig } from 'kafkajs';
import type { CollectorConfig } from './config.js';
import { sameKeyPartitioner } from './partitioner.js';

export type KafkaSettings = CollectorConfig['kafka'];

const retryBudget = (config: KafkaSettings) =>
  Math.max(100, Math.floor(config.produceTimeoutMs / 4));

export function createKafka(config: KafkaSettings): Kafka {
  return new kafkajs.Kafka({
    clientId: 'waymark-collector',
    brokers: [...config.brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: Math.min(3000, retryBudget(config)),
    requestTimeout: Math.max(500, Math.floor(config.produceTimeoutMs / 3)),
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: retryBudget(config) },
  });
}

export function producerSettings(config: KafkaSettings): ProducerConfig {
  return {
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: sameKeyPartitioner,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: retryBudget(config) },
  };
}
