import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Coalescer } from '../coalescer.js';
import type { ProcessorMetrics } from '../metrics.js';
import type { Preparer } from '../prepare-pool.js';
import type { WorkItem } from '../work.js';
import { CommitQueue, type PartitionOffset } from './commit-queue.js';
import { whileHeartbeating } from './heartbeat.js';

export interface ConsumerDeps {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  topic: string;
  /** kafkajs workers: partition batches handled at once, sharing the coalescer's inserts. */
  partitionConcurrency: number;
  /** How long a fetch waits for data when the topic is idle. */
  maxWaitMs: number;
  /** Fetching pauses while this many fetched items are not yet durable (back-pressure). */
  maxPendingItems: number;
  coalescer: Coalescer<WorkItem>;
  preparer: Preparer;
  metrics: ProcessorMetrics;
  log: Logger;
}

export interface StartedConsumer {
  consumer: Consumer;
  assigned: () => readonly number[];
  /**
   * Stops fetching and waits until what was fetched is loaded and its offsets committed, or
   * until `signal` aborts (the shutdown deadline). Call before disconnecting.
   */
  drain: (signal: AbortSignal) => Promise<void>;
}

/** Bytes below which a record holds at most one event, for the estimate before preparing. */
const MIN_EVENT_BYTES = 256;

/** An upper estimate of the events the messages hold: one per message, or one per 256 bytes. */
export function estimatedEvents(messages: readonly { value: Buffer | null }[]): number {
  let bytes = 0;
  for (const m of messages) bytes += m.value?.length ?? 0;
  return Math.max(messages.length, Math.ceil(bytes / MIN_EVENT_BYTES));
}

/**
 * The consumer-group side: each partition batch is turned into work items and handed to the
 * coalescer; kafkajs goes on fetching while earlier batches are being inserted (up to
 * maxPendingItems), so preparing and inserting overlap. A batch's offset is committed only after
 * it and every earlier batch of its partition are durable (CommitQueue). Nothing is committed
 * for a batch whose load failed or was interrupted, so Kafka replays it.
 */
export async function startConsumer(deps: ConsumerDeps): Promise<StartedConsumer> {
  const { coalescer, metrics, log } = deps;
  let assigned: readonly number[] = [];
  const consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    sessionTimeout: deps.sessionTimeoutMs,
    // Kafka's advice: a third of the session timeout at most, so one lost beat is not fatal.
    heartbeatInterval: Math.max(500, Math.floor(deps.sessionTimeoutMs / 5)),
    maxWaitTimeInMs: deps.maxWaitMs,
  });

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = payload.memberAssignment[deps.topic] ?? [];
    metrics.consumerLag.reset();
    log.info({ assignment: payload.memberAssignment }, 'joined the consumer group');
  });

  const commits = new CommitQueue(
    async (offsets: PartitionOffset[]) => {
      await consumer.commitOffsets(
        offsets.map(({ partition, offset }) => ({ topic: deps.topic, partition, offset })),
      );
      for (const { partition, offset, highWatermark } of offsets) {
        const lag = BigInt(highWatermark) - BigInt(offset);
        metrics.consumerLag.set(
          { topic: deps.topic, partition: String(partition) },
          Number(lag > 0n ? lag : 0n),
        );
      }
      log.debug({ offsets }, 'offsets committed');
    },
    (err) => log.warn({ err: String(err) }, 'offset commit failed; retrying'),
  );

  const eachBatch = async ({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload) => {
    if (!isRunning() || isStale() || batch.isEmpty()) return;
    const { topic, partition } = batch;
    const sources = batch.messages.map((m) => ({
      topic,
      partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
    }));
    const lastOffset = batch.lastOffset();
    const next = BigInt(lastOffset) + 1n;
    // More messages than this batch are on the partition: loading is behind, flush without waiting.
    const backlog = BigInt(batch.highWatermark) > next;
    // Not awaited: kafkajs fetches again only once every batch of a fetch has been handled, so
    // waiting here for the prepare threads would leave them idle during each fetch, and the
    // fetch idle while they work. The CommitQueue follows the batch until it is durable.
    // A message holds one event or many: until prepared, its events are estimated from its bytes
    // (generously: rather pause fetching too early than hold a backlog's worth of rows), then
    // counted. Back-pressure must hold for records of many events too.
    let recount: (items: number) => void = () => {};
    recount = commits.track(
      {
        partition,
        next: next.toString(),
        highWatermark: batch.highWatermark,
        items: estimatedEvents(sources),
      },
      deps.preparer.prepare(sources).then((items) => {
        recount(items.length);
        return coalescer.add(items, { backlog });
      }),
    );
    // Lets kafkajs fetch on from here; the commit waits for the insert (CommitQueue).
    resolveOffset(lastOffset);
    await whileHeartbeating(() => commits.roomFor(deps.maxPendingItems), heartbeat);
  };

  const running = new Set<Promise<void>>();
  const trackedEachBatch = async (payload: EachBatchPayload) => {
    const handling = eachBatch(payload);
    running.add(handling);
    try {
      await handling;
    } finally {
      running.delete(handling);
    }
  };

  const drain = async (signal: AbortSignal) => {
    try {
      consumer.pause([{ topic: deps.topic }]);
    } catch {
      return; // never ran: nothing fetched
    }
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const settled = async () => {
      do {
        coalescer.flushSoon();
        await Promise.allSettled([...running]);
        await commits.idle();
      } while (running.size > 0);
    };
    await Promise.race([settled(), aborted]);
  };

  await consumer.connect();
  await consumer.subscribe({ topic: deps.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: deps.partitionConcurrency,
    eachBatch: trackedEachBatch,
  });
  return { consumer, assigned: () => assigned, drain };
}
