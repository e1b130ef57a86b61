/**
 * What the producer thread needs of a Kafka client (`ProducerLanes`), whichever it is, and what
 * both clients share: the timeout and retry budget (a send to an unreachable broker fails within
 * about `produceTimeoutMs` on its own) and the renewal of a lane's producer after a failed send.
 * No client library is imported here: each client's settings, partitioner and codec live in its
 * own file (kafka-kafkajs.ts, kafka-platformatic.ts).
 */
import type { CollectorConfig } from './config.js';

export type KafkaSettings = CollectorConfig['kafka'];

export interface ProducedRecord {
  key: string;
  value: string;
}

/** The records of one produce request bound for one topic. */
export interface TopicRecords {
  topic: string;
  records: ProducedRecord[];
}

/**
 * `config.producers` idempotent producers (acks = all), one per coalescer lane. The coalescer
 * keeps at most one `send` outstanding per lane, so no producer ever has two sends in flight.
 * Keys are placed with Kafka's Java-compatible murmur2 partitioner whatever the client, so an
 * event's partition does not depend on it.
 */
export interface ProducerLanes {
  /** Resolves once the broker acknowledged every record (acks = all). */
  send(lane: number, topics: readonly TopicRecords[]): Promise<void>;
  close(): Promise<void>;
}

/** The timeouts and retries both clients get, so a dead broker fails a send within `produceTimeoutMs`. */
export interface ClientBudget {
  /** Per connection attempt. */
  connectTimeoutMs: number;
  /** Per request (a produce waits for every in-sync replica). */
  requestTimeoutMs: number;
  /** Retries after the first attempt, for every request. */
  retries: number;
  /** The first wait between attempts; it doubles up to `maxRetryMs`. */
  initialRetryMs: number;
  maxRetryMs: number;
}

export function clientBudget(config: KafkaSettings): ClientBudget {
  const maxRetryMs = Math.max(100, Math.floor(config.produceTimeoutMs / 4));
  return {
    connectTimeoutMs: Math.min(3000, maxRetryMs),
    requestTimeoutMs: Math.max(500, Math.floor(config.produceTimeoutMs / 3)),
    retries: 2,
    initialRetryMs: 100,
    maxRetryMs,
  };
}

/**
 * One lane's producer, replaced by a new one after a failed send. An idempotent producer numbers
 * its batches, and a send that failed on the client side may still have been written; neither
 * client moves its numbering on after a failure, so the next, different batch would carry the
 * same sequence numbers, which the broker either takes for a retry of the written one (answers
 * success, stores nothing: acknowledged events lost) or refuses as out of order for good. A new
 * producer gets a new producer id and numbers afresh; whatever the failed send did write is an
 * at-least-once copy the processor deduplicates by messageId.
 */
export interface RenewingProducer<P> {
  /** Opens the producer now, so start-up fails fast when the broker is unreachable. */
  open(): Promise<void>;
  /** Runs `send` on the current producer; when it fails, the next call gets a new producer. */
  use<T>(send: (producer: P) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function renewingProducer<P>(
  open: () => Promise<P>,
  dispose: (producer: P) => Promise<void>,
): RenewingProducer<P> {
  let current: Promise<P> | undefined;
  const retire = (which: Promise<P>) => {
    if (current !== which) return;
    current = undefined;
    which.then(dispose).catch(() => {});
  };
  const producer = (): Promise<P> => {
    current ??= open();
    return current;
  };
  return {
    async open() {
      const which = producer();
      try {
        await which;
      } catch (err) {
        retire(which);
        throw err;
      }
    },
    async use(send) {
      const which = producer();
      try {
        return await send(await which);
      } catch (err) {
        retire(which);
        throw err;
      }
    },
    async close() {
      const which = current;
      current = undefined;
      if (which) await which.then(dispose, () => {});
    },
  };
}

/**
 * `count` renewing producers, each connected before the first event; when one cannot connect,
 * the others are closed and start-up fails. `connect` failing disposes of that producer.
 */
export async function openProducerLanes<P>(
  count: number,
  create: () => P,
  connect: (producer: P) => Promise<void>,
  dispose: (producer: P) => Promise<void>,
): Promise<RenewingProducer<P>[]> {
  const open = async () => {
    const producer = create();
    try {
      await connect(producer);
    } catch (err) {
      await dispose(producer).catch(() => {});
      throw err;
    }
    return producer;
  };
  const lanes = Array.from({ length: count }, () => renewingProducer(open, dispose));
  try {
    await Promise.all(lanes.map((lane) => lane.open()));
  } catch (err) {
    await Promise.allSettled(lanes.map((lane) => lane.close()));
    throw err;
  }
  return lanes;
}
