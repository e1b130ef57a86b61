/**
 * The Kafka topics Waymark owns and how they are created. Both the collector (which writes) and
 * the processor (which may start first) ensure them, with the same defaults.
 */
import type { Kafka } from 'kafkajs';

export const DEFAULT_EVENTS_TOPIC = 'waymark.events';
export const DEFAULT_TOPIC_PARTITIONS = 6;

/** Creates the topic when missing (an existing topic keeps its partition count). */
export async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Checked first: kafkajs logs an error for TOPIC_ALREADY_EXISTS even though it is harmless.
    if ((await admin.listTopics()).includes(topic)) return;
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
