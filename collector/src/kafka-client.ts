/**
 * What the producer thread needs of a Kafka client (`ProducerLanes`), and the kafkajs client
 * settings, shared by the producer thread and the HTTP thread's admin client. Retries are bounded
 * (kafkajs would otherwise retry an idempotent send forever): a send to an unreachable broker fails
 * within about `produceTimeoutMs` on its own.
 */
import kafkajs, { type Kafka, type ProducerConfig } from 'kafkajs';
import type { CollectorConfig } from './config.js';
import { sameKeyPartitioner } from './partitioner.js';

export type KafkaSettings = CollectorConfig['kafka'];

export interface ProducedRecord {
  key: string;
  value: string;
}

/** The records of one produce request bound for one topic. */
export interface TopicRecords {
  topic: string;
  records: ProducedRecord[];
}

/**
 * `config.producers` idempotent producers (acks = all), one per coalescer lane. The coalescer
 * keeps at most one `send` outstanding per lane, so no producer ever has two sends in flight.
 * Keys are placed with Kafka's Java-compatible murmur2 partitioner whatever the client, so an
 * event's partition does not depend on it.
 */
export interface ProducerLanes {
  /** Resolves once the broker acknowledged every record (acks = all). */
  send(lane: number, topics: readonly TopicRecords[]): Promise<void>;
  close(): Promise<void>;
}

/** A bound on waiting between retries, so a dead broker fails a send within `produceTimeoutMs`. */
export const retryBudget = (config: KafkaSettings) =>
  Math.max(100, Math.floor(config.produceTimeoutMs / 4));
/** Per connection attempt. */
export const connectTimeout = (config: KafkaSettings) => Math.min(3000, retryBudget(config));
/** Per request (a produce waits for every in-sync replica). */
export const requestTimeout = (config: KafkaSettings) =>
  Math.max(500, Math.floor(config.produceTimeoutMs / 3));
/** Retries after the first attempt, for every request. */
export const RETRIES = 2;
export const INITIAL_RETRY_MS = 100;

export function createKafka(config: KafkaSettings): Kafka {
  return new kafkajs.Kafka({
    clientId: 'waymark-collector',
    brokers: [...config.brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: connectTimeout(config),
    requestTimeout: requestTimeout(config),
    retry: {
      retries: RETRIES,
      initialRetryTime: INITIAL_RETRY_MS,
      maxRetryTime: retryBudget(config),
    },
  });
}

export function producerSettings(config: KafkaSettings): ProducerConfig {
  return {
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: sameKeyPartitioner,
    retry: {
      retries: RETRIES,
      initialRetryTime: INITIAL_RETRY_MS,
      maxRetryTime: retryBudget(config),
    },
  };
}
