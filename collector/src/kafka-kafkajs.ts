/** kafkajs behind `ProducerLanes`: the collector's default Kafka client (KAFKA_CLIENT=kafkajs). */
import kafkajs from 'kafkajs';
import { useGzipLevel } from './gzip-codec.js';
import {
  createKafka,
  type KafkaSettings,
  type ProducerLanes,
  producerSettings,
  renewingProducer,
} from './kafka-client.js';

export async function connectKafkajsLanes(config: KafkaSettings): Promise<ProducerLanes> {
  useGzipLevel(config.gzipLevel);
  const kafka = createKafka(config);
  const producers = Array.from({ length: config.producers }, () =>
    renewingProducer(
      async () => {
        const producer = kafka.producer(producerSettings(config));
        try {
          await producer.connect();
        } catch (err) {
          await producer.disconnect().catch(() => {});
          throw err;
        }
        return producer;
      },
      (producer) => producer.disconnect(),
    ),
  );
  try {
    await Promise.all(producers.map((p) => p.open()));
  } catch (err) {
    await Promise.allSettled(producers.map((p) => p.close()));
    throw err;
  }
  const compression =
    config.compression === 'gzip' ? kafkajs.CompressionTypes.GZIP : kafkajs.CompressionTypes.None;
  return {
    async send(lane, topics) {
      await producers[lane]!.use((producer) =>
        producer.sendBatch({
          topicMessages: topics.map(({ topic, records }) => ({ topic, messages: records })),
          acks: -1,
          compression,
        }),
      );
    },
    async close() {
      await Promise.allSettled(producers.map((p) => p.close()));
    },
  };
}
