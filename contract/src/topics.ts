/**
 * The Kafka topics Waymark owns and how they are created. Both the collector (which writes) and
 * the processor (which may start first) ensure them, with the same defaults. The client is a
 * parameter: this package installs no Kafka client.
 */

/** The part of a Kafka client these helpers use (kafkajs's `Kafka` is one). */
export interface TopicAdminClient {
  admin(): {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    listTopics(): Promise<string[]>;
    createTopics(options: {
      topics: { topic: string; numPartitions: number; replicationFactor: number }[];
      waitForLeaders: boolean;
    }): Promise<boolean>;
  };
}

export const DEFAULT_EVENTS_TOPIC = 'waymark.events';
/** Events the collector rejected: the reason and a summary of each (`InvalidEventRecord`). */
export const DEFAULT_INVALID_EVENTS_TOPIC = 'waymark.events.invalid';
export const DEFAULT_TOPIC_PARTITIONS = 6;

/** Creates the topic when missing (an existing topic keeps its partition count). */
export async function ensureTopic(
  kafka: TopicAdminClient,
  topic: string,
  partitions: number,
): Promise<void> {
  await ensureTopics(kafka, [topic], partitions);
}

/** Creates every missing topic of the list in one admin round trip. */
export async function ensureTopics(
  kafka: TopicAdminClient,
  topics: readonly string[],
  partitions: number,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Checked first: kafkajs logs an error for TOPIC_ALREADY_EXISTS even though it is harmless.
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
