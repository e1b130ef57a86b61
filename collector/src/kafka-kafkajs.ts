/** kafkajs behind `ProducerLanes`: the collector's default Kafka client (KAFKA_CLIENT=kafkajs). */
import kafkajs, { type Producer } from 'kafkajs';
import { useGzipLevel } from './gzip-codec.js';
import {
  createKafka,
  type KafkaSettings,
  type ProducerLanes,
  producerSettings,
} from './kafka-client.js';

export async function connectKafkajsLanes(config: KafkaSettings): Promise<ProducerLanes> {
  useGzipLevel(config.gzipLevel);
  const kafka = createKafka(config);
  const producers: Producer[] = Array.from({ length: config.producers }, () =>
    kafka.producer(producerSettings(config)),
  );
  try {
    await Promise.all(producers.map((p) => p.connect()));
  } catch (err) {
    await Promise.allSettled(producers.map((p) => p.disconnect()));
    throw err;
  }
  const compression =
    config.compression === 'gzip' ? kafkajs.CompressionTypes.GZIP : kafkajs.CompressionTypes.None;
  return {
    async send(lane, topics) {
      await producers[lane]!.sendBatch({
        topicMessages: topics.map(({ topic, records }) => ({ topic, messages: records })),
        acks: -1,
        compression,
      });
    },
    async close() {
      await Promise.allSettled(producers.map((p) => p.disconnect()));
    },
  };
}
