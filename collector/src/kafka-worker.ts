/**
 * The collector's Kafka producers, on a thread of their own. The Kafka clients encode every record
 * in JavaScript (CRC32C, varints, buffer copies): about as much CPU per event as everything else the
 * collector does for it, so it runs beside the HTTP thread instead of on it. The HTTP thread keeps
 * the coalescer (grouping, withdrawal on timeout) and tells this thread what to produce, on which
 * producer; this thread answers once the broker acknowledged (acks = all) or refused.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KafkaSettings, ProducedRecord, ProducerLanes, TopicRecords } from './kafka-client.js';

export type { ProducedRecord } from './kafka-client.js';

export type ToProducerThread =
  | {
      type: 'produce';
      id: number;
      lane: number;
      events: ProducedRecord[];
      invalid: ProducedRecord[];
    }
  | { type: 'close' };

/** An error as it crosses threads (the clients' error classes do not survive structured cloning). */
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

/** The configured client, loaded only when chosen. */
async function connectLanes(config: KafkaSettings): Promise<ProducerLanes> {
  if (config.client === 'platformatic') {
    return (await import('./kafka-platformatic.js')).connectPlatformaticLanes(config);
  }
  return (await import('./kafka-kafkajs.js')).connectKafkajsLanes(config);
}

async function serve(config: KafkaSettings, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: FromProducerThread) => port.postMessage(message);
  let lanes: ProducerLanes;
  try {
    lanes = await connectLanes(config);
  } catch (err) {
    post({ type: 'connect-failed', error: toThreadError(err) });
    return;
  }

  async function produce(message: Extract<ToProducerThread, { type: 'produce' }>) {
    const topics: TopicRecords[] = [];
    if (message.events.length > 0) {
      topics.push({ topic: config.eventsTopic, records: message.events });
    }
    if (message.invalid.length > 0) {
      topics.push({ topic: config.invalidEventsTopic, records: message.invalid });
    }
    try {
      if (topics.length > 0) await lanes.send(message.lane, topics);
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
    void lanes.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  });
  post({ type: 'connected' });
}

if (parentPort !== null) void serve(workerData as KafkaSettings, parentPort);
