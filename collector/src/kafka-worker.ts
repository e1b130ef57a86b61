/**
 * The collector's Kafka producers, on a thread of their own. kafkajs encodes every record in
 * JavaScript (CRC32C, varints, buffer copies): about as much CPU per event as everything else the
 * collector does for it, so it runs beside the HTTP thread instead of on it. The HTTP thread keeps
 * the coalescer (grouping, withdrawal on timeout) and tells this thread what to produce, on which
 * producer; this thread answers once the broker acknowledged (acks = all) or refused.
 */
import { parentPort, workerData } from 'node:worker_threads';
import kafkajs, { type Producer, type TopicMessages } from 'kafkajs';
import { useGzipLevel } from './gzip-codec.js';
import { createKafka, type KafkaSettings, producerSettings } from './kafka-client.js';

export interface ProducedRecord {
  key: string;
  value: string;
}

export type ToProducerThread =
  | {
      type: 'produce';
      id: number;
      lane: number;
      events: ProducedRecord[];
      invalid: ProducedRecord[];
    }
  | { type: 'close' };

/** An error as it crosses threads (kafkajs' error classes do not survive structured cloning). */
export interface ThreadError {
  name: string;
  message: string;
}

export type FromProducerThread =
  | { type: 'connected' }
  | { type: 'connect-failed'; error: ThreadError }
  | { type: 'acked'; id: number }
  | { type: 'failed'; id: number; error: ThreadError }
  | { type: 'closed' };

const toThreadError = (err: unknown): ThreadError =>
  err instanceof Error
    ? { name: err.name, message: err.message }
    : { name: 'Error', message: String(err) };

async function serve(config: KafkaSettings, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: FromProducerThread) => port.postMessage(message);
  useGzipLevel(config.gzipLevel);
  const kafka = createKafka(config);
  const producers: Producer[] = Array.from({ length: config.producers }, () =>
    kafka.producer(producerSettings(config)),
  );
  try {
    await Promise.all(producers.map((p) => p.connect()));
  } catch (err) {
    await Promise.allSettled(producers.map((p) => p.disconnect()));
    post({ type: 'connect-failed', error: toThreadError(err) });
    return;
  }
  const compression =
    config.compression === 'gzip' ? kafkajs.CompressionTypes.GZIP : kafkajs.CompressionTypes.None;

  async function produce(message: Extract<ToProducerThread, { type: 'produce' }>) {
    const topicMessages: TopicMessages[] = [];
    if (message.events.length > 0) {
      topicMessages.push({ topic: config.eventsTopic, messages: message.events });
    }
    if (message.invalid.length > 0) {
      topicMessages.push({ topic: config.invalidEventsTopic, messages: message.invalid });
    }
    try {
      if (topicMessages.length > 0) {
        await producers[message.lane]!.sendBatch({ topicMessages, acks: -1, compression });
      }
      post({ type: 'acked', id: message.id });
    } catch (err) {
      post({ type: 'failed', id: message.id, error: toThreadError(err) });
    }
  }

  port.on('message', (message: ToProducerThread) => {
    if (message.type === 'produce') {
      void produce(message);
      return;
    }
    void Promise.allSettled(producers.map((p) => p.disconnect())).then(() => {
      post({ type: 'closed' });
      port.close();
    });
  });
  post({ type: 'connected' });
}

if (parentPort !== null) void serve(workerData as KafkaSettings, parentPort);
