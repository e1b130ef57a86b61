/** kafkajs behind `ProducerLanes`: the collector's default Kafka client (KAFKA_CLIENT=kafkajs). */
import kafkajs from 'kafkajs';
import { useGzipLevel } from './gzip-codec.js';
import {
  createKafka,
  type KafkaSettings,
  openProducerLanes,
  type ProducerLanes,
  producerSettings,
} from './kafka-client.js';

export async function connectKafkajsLanes(config: KafkaSettings): Promise<ProducerLanes> {
  useGzipLevel(config.gzipLevel);
  const kafka = createKafka(config);
  const producers = await openProducerLanes(
    config.producers,
    () => kafka.producer(producerSettings(config)),
    (producer) => producer.connect(),
    (producer) => producer.disconnect(),
  );
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
