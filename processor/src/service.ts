import type { ClickHouseClient } from '@clickhouse/client';
import {
  applyRetention,
  clickHouseErrorCode,
  MigrationError,
  migrate,
} from '@waymark/contract/schema';
import { ensureTopics } from '@waymark/contract/topics';
import { createKafka } from '@waymark/kit/kafka';
import { type Consumer, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createBatchLoader } from './batch-loader.js';
import { createClickHouseClient, createMigrationClient } from './clickhouse/client.js';
import { errorMessage } from './clickhouse/errors.js';
import { Coalescer } from './coalescer.js';
import type { ProcessorConfig } from './config.js';
import { HealthState } from './health.js';
import { buildApp } from './http/app.js';
import { type StartedConsumer, startConsumer } from './kafka/consumer.js';
import { startLagMonitor } from './kafka/lag.js';
import { createMetrics } from './metrics.js';
import { createPreparer, type Preparer } from './prepare-pool.js';
import { retryUntilDone } from './retry.js';
import { type Summarizer, startSummarizer } from './summarizer.js';
import { type SuppressionList, startSuppressionList } from './suppressions.js';
import type { WorkItem } from './work.js';

export interface RunningProcessor {
  /** Where /health and /metrics answer. */
  url: string;
  /**
   * Finishes the batch in flight, commits it, leaves the group. Rejects when that took longer
   * than shutdownMs (ClickHouse down): the batch stays uncommitted and will be replayed.
   */
  stop: () => Promise<void>;
  /** Resolves if the consumer crashes beyond kafkajs' own restarts. */
  crashed: Promise<Error>;
}

// Often enough for a scrape every 15 s to see the lag move; cheap (two admin requests).
const LAG_INTERVAL_MS = 5000;

// Fetched-but-not-yet-durable rows allowed, in inserts' worth: enough that the next inserts are
// prepared while one runs, little enough to bound memory and what a crash replays.
const PENDING_BATCHES = 3;

/** ClickHouse answered with an error, or a migration cannot run as configured: retrying cannot help. */
const isUnreachable = (err: unknown) =>
  !(err instanceof MigrationError) && clickHouseErrorCode(err) === undefined;

/** Applies pending migrations, waiting (with backoff) while ClickHouse is unreachable. */
async function migrateWhenReachable(
  config: ProcessorConfig,
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  const { database, cluster } = config.clickhouse;
  const migrations = createMigrationClient(config.clickhouse);
  try {
    const applied = await retryUntilDone(
      () =>
        migrate(migrations, database, {
          ...(cluster ? { cluster } : {}),
          // Long steps (a copy, a backfill) at info, the rest at debug.
          onStep: (done) => log[done.ms >= 1000 ? 'info' : 'debug'](done, 'migration step done'),
        }),
      {
        policy: config.retry,
        signal,
        isRetryable: isUnreachable,
        onRetry: (err, attempt, delayMs) =>
          log.warn(
            { attempt, delayMs, err: errorMessage(err) },
            'ClickHouse unreachable, migrations wait',
          ),
      },
    );
    log.info({ applied, database }, 'schema up to date');
    const retained = await applyRetention(migrations, database, config.retention, {
      ...(cluster ? { cluster } : {}),
    });
    if (retained.length > 0)
      log.info({ tables: retained, retention: config.retention }, 'retention applied');
  } finally {
    await migrations.close();
  }
}

/** Starts the HTTP endpoints, applies migrations, then loads Kafka into ClickHouse. */
export async function startProcessor(
  config: ProcessorConfig,
  log: Logger,
): Promise<RunningProcessor> {
  const health = new HealthState({ stallTimeoutMs: config.stallTimeoutMs });
  const metrics = createMetrics();
  const app = buildApp({ health, metrics });
  const url = await app.listen({ host: config.http.host, port: config.http.port });
  log.info({ url }, 'health and metrics listening');

  const shutdown = new AbortController();
  const clickhouse: ClickHouseClient = createClickHouseClient(config.clickhouse);
  let consumer: Consumer | undefined;
  let drain: StartedConsumer['drain'] | undefined;
  let producer: Producer | undefined;
  let stopLagMonitor: (() => Promise<void>) | undefined;
  let preparer: Preparer | undefined;
  let suppressions: SuppressionList | undefined;
  let summarizer: Summarizer | undefined;

  const stop = async () => {
    health.phase = 'stopping';
    const deadline = setTimeout(
      () => shutdown.abort(new Error('shutdown deadline')),
      config.shutdownMs,
    );
    try {
      coalescer.flushSoon();
      await stopLagMonitor?.();
      // Loads and commits what was fetched while the member still owns its partitions.
      await drain?.(shutdown.signal);
      await consumer?.disconnect();
      await producer?.disconnect();
    } finally {
      await summarizer?.stop();
      suppressions?.stop();
      await preparer?.close();
      clearTimeout(deadline);
      await clickhouse.close();
      await app.close();
    }
    if (shutdown.signal.aborted) {
      throw new Error(`the batch in flight could not be loaded within ${config.shutdownMs} ms`);
    }
  };

  // ClickHouse may still be starting: wait for it rather than crash-loop.
  if (config.migrateOnStart) await migrateWhenReachable(config, shutdown.signal, log);

  const kafka = createKafka({ clientId: 'waymark-processor', brokers: config.kafka.brokers, log });
  await ensureTopics(
    kafka,
    [config.kafka.eventsTopic, config.kafka.deadLetterTopic],
    config.kafka.partitions,
  );
  // Java-compatible partitioning of dead letters by their original key (and no warning about it).
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const erased = await startSuppressionList(clickhouse, config.clickhouse.database, log);
  suppressions = erased;
  const coalescer: Coalescer<WorkItem> = new Coalescer({
    maxItems: config.batch.maxRows,
    maxWaitMs: config.batch.maxMs,
    flush: createBatchLoader({
      clickhouse,
      database: config.clickhouse.database,
      producer,
      deadLetterTopic: config.kafka.deadLetterTopic,
      deadLetterMaxBytes: config.kafka.deadLetterMaxBytes,
      retry: config.retry,
      signal: shutdown.signal,
      metrics,
      health,
      log,
      suppressions: erased.current,
    }),
  });

  preparer = createPreparer(config.batch.prepareThreads, log, {
    wantsSubjects: () => erased.current().size > 0,
  });
  const started = await startConsumer({
    kafka,
    groupId: config.kafka.groupId,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    topic: config.kafka.eventsTopic,
    partitionConcurrency: config.batch.partitionConcurrency,
    maxWaitMs: config.batch.maxMs,
    maxPendingItems: PENDING_BATCHES * config.batch.maxRows,
    coalescer,
    preparer,
    metrics,
    log,
  });
  consumer = started.consumer;
  drain = started.drain;
  stopLagMonitor = startLagMonitor({
    kafka,
    groupId: config.kafka.groupId,
    topic: config.kafka.eventsTopic,
    assigned: started.assigned,
    metrics,
    health,
    log,
    intervalMs: LAG_INTERVAL_MS,
  });
  const crashed = new Promise<Error>((resolve) => {
    consumer?.on(consumer.events.CRASH, ({ payload }) => {
      log.error({ err: errorMessage(payload.error), restart: payload.restart }, 'consumer crashed');
      if (!payload.restart) {
        health.phase = 'crashed';
        resolve(payload.error);
      }
    });
  });
  if (config.summaries.enabled) {
    // A window over a large history can take minutes: a client of its own with the migrations'
    // timeout, so a pass never gives up on a statement the server is still running (and the
    // next pass never starts a second one beside it).
    const summaries = createMigrationClient(config.clickhouse);
    summarizer = startSummarizer({
      clickhouse: summaries,
      database: config.clickhouse.database,
      ...config.summaries,
      metrics,
      log,
    });
  }
  health.phase = 'running';
  // The stall clock starts now, not when the process started (migrations may take an hour).
  health.madeProgress();
  metrics.clickhouseUp.set(1);
  return { url, stop, crashed };
}
