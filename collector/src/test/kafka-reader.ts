/** Reads every record of a (test-owned) topic: as many as its offsets say it holds, no guessing. */
import { randomBytes } from 'node:crypto';
import { createKafka } from '@waymark/kit/kafka';

export interface ReadRecord {
  partition: number;
  key: string;
  value: string;
}

export async function readAllRecords(
  brokers: string[],
  topic: string,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const kafka = createKafka({ clientId: 'collector-test-reader', brokers });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  if (total === 0) return [];
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${randomBytes(3).toString('hex')}` });
  const records: ReadRecord[] = [];
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
        });
        if (records.length >= total) finish();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`read ${records.length} of ${total} records of ${topic}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return records;
}
