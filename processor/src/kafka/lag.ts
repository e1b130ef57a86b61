import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { HealthState } from '../health.js';
import type { ProcessorMetrics } from '../metrics.js';

export interface LagMonitorDeps {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** The partitions this member owns now (each member reports only its own). */
  assigned: () => readonly number[];
  metrics: ProcessorMetrics;
  /** Told the total, so that /health can tell a stall (lag and no progress) from idleness. */
  health: HealthState;
  log: Logger;
  intervalMs: number;
}

/**
 * Consumer lag per assigned partition (end offset − committed offset), measured from the broker
 * on a timer. Commits update the gauge too, but only a timer shows the lag growing while loading
 * is held back — during a ClickHouse outage, which is when it matters.
 */
export function startLagMonitor(deps: LagMonitorDeps): () => Promise<void> {
  const admin = deps.kafka.admin();
  let connected: Promise<void> | undefined;
  let running: Promise<void> = Promise.resolve();

  const measure = async () => {
    const partitions = deps.assigned();
    if (partitions.length === 0) {
      deps.health.lagMeasured(0);
      return;
    }
    connected ??= admin.connect();
    await connected;
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(deps.topic),
      admin.fetchOffsets({ groupId: deps.groupId, topics: [deps.topic] }),
    ]);
    let total = 0;
    for (const partition of partitions) {
      const end = ends.find((e) => e.partition === partition);
      if (!end) continue;
      const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      // Nothing committed yet: the group starts from the beginning of the partition.
      const from = BigInt(offset === '-1' ? end.low : offset);
      const lag = BigInt(end.high) - from;
      const behind = Number(lag > 0n ? lag : 0n);
      deps.metrics.consumerLag.set({ topic: deps.topic, partition: String(partition) }, behind);
      total += behind;
    }
    deps.health.lagMeasured(total);
  };

  const timer = setInterval(() => {
    running = measure().catch((err: unknown) =>
      deps.log.debug({ err: String(err) }, 'lag not measured this time'),
    );
  }, deps.intervalMs);
  timer.unref();

  return async () => {
    clearInterval(timer);
    await running;
    if (connected) await admin.disconnect();
  };
}
