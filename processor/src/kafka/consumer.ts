import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Coalescer } from '../coalescer.js';
import type { ProcessorMetrics } from '../metrics.js';
import { prepare } from '../prepare.js';
import type { WorkItem } from '../work.js';
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
  coalescer: Coalescer<WorkItem>;
  metrics: ProcessorMetrics;
  log: Logger;
}

/**
 * The consumer-group side: each partition batch is turned into work items, handed to the
 * coalescer, and its offset committed only after the flush that carried it is durable. Nothing
 * is committed for a batch whose load failed or was interrupted, so Kafka replays it.
 */
export async function startConsumer(
  deps: ConsumerDeps,
): Promise<{ consumer: Consumer; assigned: () => readonly number[] }> {
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

  const eachBatch = async ({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload) => {
    if (!isRunning() || isStale() || batch.isEmpty()) return;
    const { topic, partition } = batch;
    const items = batch.messages.map((m) =>
      prepare({ topic, partition, offset: m.offset, key: m.key, value: m.value }),
    );
    await whileHeartbeating((signal) => coalescer.add(items, signal), heartbeat);
    const lastOffset = batch.lastOffset();
    const next = (BigInt(lastOffset) + 1n).toString();
    resolveOffset(lastOffset);
    await commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset: next }] }],
    });
    const lag = BigInt(batch.highWatermark) - BigInt(next);
    metrics.consumerLag.set({ topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
    log.debug({ partition, messages: items.length, committed: next }, 'batch committed');
  };

  await consumer.connect();
  await consumer.subscribe({ topic: deps.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: deps.partitionConcurrency,
    eachBatch,
  });
  return { consumer, assigned: () => assigned };
}
