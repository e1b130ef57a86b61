/** kafkajs behind the benchmark's client interface (the library the services use today). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@waymark/stack/config';
import { CompressionTypes, type Kafka } from 'kafkajs';
import { z } from 'zod';
import { CLIENT_SETTINGS, type Compression, type KafkaClientUnderTest } from './kafka-client.js';

const COMPRESSION_TYPES: Record<Compression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
};

/** The installed version of a hoisted dependency (for the report). */
export function installedVersion(pkg: string): string {
  const json: unknown = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8'),
  );
  return z.object({ version: z.string() }).parse(json).version;
}

export function kafkajsClient(kafka: Kafka): KafkaClientUnderTest {
  return {
    name: `kafkajs ${installedVersion('kafkajs')}`,
    async producer(topic, compression) {
      const producer = kafka.producer({
        idempotent: CLIENT_SETTINGS.idempotent,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      return {
        async send(batch) {
          await producer.send({
            topic,
            messages: batch.map(({ key, value }) => ({ key, value })),
            acks: CLIENT_SETTINGS.acks,
            compression: COMPRESSION_TYPES[compression],
          });
        },
        close: () => producer.disconnect(),
      };
    },
    async consumer(topic, groupId, onRecords) {
      const consumer = kafka.consumer({
        groupId,
        maxBytes: CLIENT_SETTINGS.fetchMaxBytes,
        maxBytesPerPartition: CLIENT_SETTINGS.fetchMaxBytesPerPartition,
        maxWaitTimeInMs: CLIENT_SETTINGS.fetchMaxWaitMs,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
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
