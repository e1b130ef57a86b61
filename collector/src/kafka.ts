/** The collector's one Kafka producer. Kept behind this module so the client can be swapped. */
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { CollectorConfig } from './config.js';
import { ensureTopic } from './topics.js';

export interface EventSink {
  /** Resolves only once the broker acknowledged every record (acks = all). */
  send(records: { key: string; value: string }[]): Promise<void>;
  close(): Promise<void>;
}

export async function connectKafkaSink(config: CollectorConfig['kafka']): Promise<EventSink> {
  const kafka = new Kafka({
    clientId: 'waymark-collector',
    brokers: config.brokers,
    logLevel: logLevel.WARN,
  });
  await ensureTopic(kafka, config.eventsTopic, config.partitions);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  return {
    async send(records) {
      await producer.send({
        topic: config.eventsTopic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: records,
      });
    },
    close: () => producer.disconnect(),
  };
}
