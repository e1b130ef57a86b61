/** How many dead letters a topic holds, and a few of them as text, to say what was refused. */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '@waymark/kit/kafka';

const kafkaFor = (brokers: string) =>
  createKafka({ clientId: 'chaos-dead-letters', brokers: [brokers] });

export async function countDeadLetters(brokers: string, topic: string): Promise<number> {
  const admin = kafkaFor(brokers).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** The distinct dead-letter reasons (header `waymark-dead-letter-reason`) with their counts. */
export async function deadLetterReasons(
  brokers: string,
  topic: string,
  expected: number,
): Promise<Record<string, number>> {
  const consumer = kafkaFor(brokers).consumer({
    groupId: `dead-reader-${randomBytes(3).toString('hex')}`,
  });
  const reasons: Record<string, number> = {};
  let seen = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        const reason = String(
          message.headers?.['waymark-dead-letter-reason'] ?? 'no reason header',
        );
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      },
    });
    const deadline = Date.now() + 30_000;
    while (seen < expected && Date.now() < deadline) await sleep(200);
  } finally {
    await consumer.disconnect();
  }
  return reasons;
}
