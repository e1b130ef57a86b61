/**
 * @platformatic/kafka behind the benchmark's client interface. Loaded with a dynamic import by the
 * runner, so a library that cannot load on this Node.js is reported instead of failing the bench.
 */
import { Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import { CLIENT_SETTINGS, type KafkaClientUnderTest } from './kafka-client.js';
import { installedVersion } from './kafka-kafkajs.js';

export function platformaticClient(brokers: readonly string[]): KafkaClientUnderTest {
  return {
    name: `@platformatic/kafka ${installedVersion('@platformatic/kafka')}`,
    async producer(topic, compression) {
      const producer = new Producer({
        clientId: 'waymark-bench',
        bootstrapBrokers: [...brokers],
        serializers: stringSerializers,
        idempotent: CLIENT_SETTINGS.idempotent,
        acks: CLIENT_SETTINGS.acks,
        compression,
      });
      // Connects and loads the topic's metadata before the clock starts, as kafkajs's connect does.
      await producer.metadata({ topics: [topic] });
      return {
        async send(batch) {
          await producer.send({
            messages: batch.map(({ key, value }) => ({ topic, key, value })),
          });
        },
        close: () => producer.close(),
      };
    },
    async consumer(topic, groupId, onRecords) {
      // Default deserializers hand over Buffers, as kafkajs does.
      const consumer = new Consumer({
        clientId: 'waymark-bench',
        bootstrapBrokers: [...brokers],
        groupId,
        maxBytes: CLIENT_SETTINGS.fetchMaxBytes,
        maxBytesPerPartition: CLIENT_SETTINGS.fetchMaxBytesPerPartition,
        maxWaitTime: CLIENT_SETTINGS.fetchMaxWaitMs,
      });
      const stream = await consumer.consume({
        topics: [topic],
        mode: 'earliest',
        autocommit: false,
      });
      stream.on('data', (message: { value: Buffer | undefined }) => {
        onRecords(1, message.value?.length ?? 0);
      });
      return {
        async stop() {
          await stream.close();
          await consumer.close(true);
        },
      };
    },
  };
}
