/**
 * `@confluentinc/kafka-javascript` (librdkafka) behind the benchmark's client interface, through
 * its KafkaJS-compatible API. Not a workspace dependency: it is loaded from the bench's private
 * install (src/kafka-native-install.ts) with `createRequire`, so its types are the few declared
 * here.
 *
 * librdkafka batches internally (a send only queues; its threads build the requests, `linger.ms`
 * 5 by default) and an idempotent producer keeps up to 5 requests in flight per broker with
 * correct sequence numbers, so its own pattern is many sends outstanding at once (`inFlight`).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CLIENT_SETTINGS, type KafkaClientUnderTest } from './kafka-client.js';
import { NATIVE_KAFKA, type NativeKafkaInstall } from './kafka-native-install.js';

/** Sends of 500 events outstanding at once in its own pattern (10,000 events queued). */
const IN_FLIGHT = 20;

interface Message {
  key: string;
  value: string;
}
interface ConfluentProducer {
  connect(): Promise<void>;
  send(record: { topic: string; messages: Message[] }): Promise<unknown>;
  disconnect(): Promise<void>;
}
interface ConfluentConsumer {
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: {
    eachBatch: (payload: { batch: { messages: { value: Buffer | null }[] } }) => Promise<void>;
  }): Promise<void>;
  disconnect(): Promise<void>;
}
interface ConfluentKafkaJS {
  Kafka: new (config: {
    kafkaJS: { brokers: string[]; clientId: string; logLevel: number };
  }) => {
    producer(config: {
      kafkaJS: { idempotent: boolean; acks: number; compression: string };
    }): ConfluentProducer;
    consumer(config: {
      kafkaJS: {
        groupId: string;
        fromBeginning: boolean;
        autoCommit: boolean;
        maxBytes: number;
        maxBytesPerPartition: number;
        maxWaitTimeInMs: number;
      };
    }): ConfluentConsumer;
  };
  logLevel: { ERROR: number };
}
interface ConfluentModule {
  KafkaJS: ConfluentKafkaJS;
  librdkafkaVersion: string;
}

export function confluentClient(
  install: NativeKafkaInstall,
  brokers: readonly string[],
): KafkaClientUnderTest {
  const required = createRequire(join(install.dir, 'package.json'))(NATIVE_KAFKA.name);
  const { KafkaJS, librdkafkaVersion } = required as ConfluentModule;
  const kafka = new KafkaJS.Kafka({
    kafkaJS: { brokers: [...brokers], clientId: 'waymark-bench', logLevel: KafkaJS.logLevel.ERROR },
  });
  return {
    name: `${NATIVE_KAFKA.name} ${install.version} (librdkafka ${librdkafkaVersion})`,
    inFlight: IN_FLIGHT,
    async producer(topic, compression) {
      const producer = kafka.producer({
        kafkaJS: {
          idempotent: CLIENT_SETTINGS.idempotent,
          acks: CLIENT_SETTINGS.acks,
          compression,
        },
      });
      await producer.connect();
      return {
        async send(batch) {
          await producer.send({ topic, messages: batch.map(({ key, value }) => ({ key, value })) });
        },
        close: () => producer.disconnect(),
      };
    },
    async consumer(topic, groupId, onRecords) {
      const consumer = kafka.consumer({
        kafkaJS: {
          groupId,
          fromBeginning: true,
          autoCommit: false,
          maxBytes: CLIENT_SETTINGS.fetchMaxBytes,
          maxBytesPerPartition: CLIENT_SETTINGS.fetchMaxBytesPerPartition,
          maxWaitTimeInMs: CLIENT_SETTINGS.fetchMaxWaitMs,
        },
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          let bytes = 0;
          for (const m of batch.messages) bytes += m.value?.length ?? 0;
          onRecords(batch.messages.length, bytes);
        },
      });
      return { stop: () => consumer.disconnect() };
    },
  };
}
