/**
 * The collector's Kafka sink, behind the small `EventSink` interface so HTTP tests can use a fake.
 * The producers run on their own thread (kafka-worker.ts) through the configured client
 * (KAFKA_CLIENT); this side groups records (coalesce.ts) and waits for the answers. Topic creation
 * and readiness use kafkajs's admin client whatever produces.
 */
import type { Worker } from 'node:worker_threads';
import { ensureTopics } from '@waymark/contract/topics';
import { startWorkerThread } from '@waymark/kit/worker-thread';
import { coalesce } from './coalesce.js';
import type { CollectorConfig } from './config.js';
import { kafkajsClient } from './kafka-kafkajs.js';
import type {
  FromProducerThread,
  ProducedRecord,
  ThreadError,
  ToProducerThread,
} from './kafka-worker.js';
import type { Withdrawal } from './withdrawal.js';

export type { ProducedRecord } from './kafka-worker.js';

export interface SinkBatch {
  /** `CollectedEvent` records for the events topic. */
  events: readonly ProducedRecord[];
  /** `InvalidEventRecord` records for the invalid-events topic. */
  invalid: readonly ProducedRecord[];
}

export interface EventSink {
  /**
   * Resolves only once the broker acknowledged every record (acks = all in-sync replicas).
   * A `withdrawal` withdraws records not yet handed to the producer (they will never land).
   */
  send(batch: SinkBatch, withdrawal?: Withdrawal): Promise<void>;
  /** Whether the broker answers a metadata request now. */
  ready(): Promise<boolean>;
  /** Flushes and disconnects. */
  close(): Promise<void>;
}

/** The Kafka-backed sink, which can also break for good. */
export interface KafkaSink extends EventSink {
  /**
   * Resolves if the producer thread dies (not when closed): every send fails from then on, so
   * the process should drain and exit for its supervisor to restart it.
   */
  broken: Promise<Error>;
}

export interface KafkaSinkOptions {
  /** Starts the producer thread (tests wrap it to reach the thread). */
  startThread?: (config: CollectorConfig['kafka']) => Worker;
}

/** Record bytes (uncompressed) gathered into one produce request from concurrent HTTP requests. */
const GROUP_BYTES = 512 * 1024;

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function fromThread(error: ThreadError): Error {
  const err = new Error(error.message);
  err.name = error.name;
  return err;
}

/** The producer thread (kafka-worker.ts), given the Kafka settings. */
export function startProducerThread(config: CollectorConfig['kafka']): Worker {
  return startWorkerThread(import.meta.url, 'kafka-worker', config);
}

/**
 * Creates the topics when missing and connects the producers. A send to an unreachable broker
 * fails within about `produceTimeoutMs` on its own (bounded retries), so the collector can answer
 * 503 and the client retry later. The route still races a timer of `produceTimeoutMs` as the hard
 * bound: records still waiting in the coalescer are withdrawn then, but a produce already out (a
 * broker that accepts connections but does not answer) may still land later, so Kafka holds
 * events at least once and the processor dedupes by messageId.
 */
export async function connectKafkaSink(
  config: CollectorConfig['kafka'],
  options: KafkaSinkOptions = {},
): Promise<KafkaSink> {
  const kafka = kafkajsClient(config);
  await ensureTopics(kafka, [config.eventsTopic, config.invalidEventsTopic], config.partitions);

  const thread = (options.startThread ?? startProducerThread)(config);
  let closing: Promise<void> | undefined;
  let onBroken: (err: Error) => void = () => {};
  const broken = new Promise<Error>((resolve) => {
    onBroken = resolve;
  });
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let stopped: Error | undefined;
  let onConnect: { resolve: () => void; reject: (err: Error) => void } | undefined;
  let onClosed: (() => void) | undefined;

  const stop = (err: Error) => {
    stopped ??= err;
    onConnect?.reject(err);
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
    onClosed?.();
  };
  thread.on('message', (message: FromProducerThread) => {
    switch (message.type) {
      case 'connected':
        onConnect?.resolve();
        break;
      case 'connect-failed':
        onConnect?.reject(fromThread(message.error));
        break;
      case 'acked':
        pending.get(message.id)?.resolve();
        pending.delete(message.id);
        break;
      case 'failed':
        pending.get(message.id)?.reject(fromThread(message.error));
        pending.delete(message.id);
        break;
      case 'closed':
        stop(new Error('the Kafka sink is closed'));
        break;
    }
  });
  const died = (err: Error) => {
    stop(err);
    if (closing === undefined) onBroken(err);
  };
  thread.on('error', died);
  thread.on('exit', (code) => died(new Error(`the Kafka producer thread exited (code ${code})`)));

  try {
    await new Promise<void>((resolve, reject) => {
      onConnect = { resolve, reject };
    });
  } catch (err) {
    await thread.terminate();
    throw err;
  } finally {
    onConnect = undefined;
  }

  const tell = (message: ToProducerThread) => thread.postMessage(message);
  const send = coalesce(
    ({ events, invalid }, lane) =>
      new Promise<void>((resolve, reject) => {
        if (stopped) {
          reject(stopped);
          return;
        }
        const id = nextId++;
        pending.set(id, { resolve, reject });
        tell({ type: 'produce', id, lane, events, invalid });
      }),
    GROUP_BYTES,
    config.producers,
  );

  const admin = kafka.admin();
  let adminConnected = false;
  return {
    send,
    broken,
    async ready() {
      if (stopped) return false;
      try {
        if (!adminConnected) {
          await timeout(admin.connect(), 2000, 'connecting to Kafka');
          adminConnected = true;
        }
        await timeout(
          admin.fetchTopicMetadata({ topics: [config.eventsTopic] }),
          2000,
          'Kafka metadata',
        );
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        if (!stopped) {
          // main.ts closes the sink after the HTTP server drained: every request has its answer.
          await new Promise<void>((resolve) => {
            onClosed = resolve;
            tell({ type: 'close' });
          });
        }
        await Promise.allSettled([thread.terminate(), admin.disconnect()]);
      })();
      return closing;
    },
  };
}
