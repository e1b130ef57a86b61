import { availableParallelism } from 'node:os';
import { loadProjects, ProjectsConfigError } from '@waymark/contract/projects';
import { DEFAULT_RETENTION_DAYS, type RetentionSpec } from '@waymark/contract/schema';
import { DEFAULT_EVENTS_TOPIC, DEFAULT_TOPIC_PARTITIONS } from '@waymark/contract/topics';
import {
  ConfigError,
  clickhouseEnv,
  clickhouseServer,
  flag,
  identifier,
  int,
  kafkaEnv,
  loadConfig,
  logEnv,
} from '@waymark/kit/config';
import { z } from 'zod';

export { ConfigError };

/**
 * Where messages the processor cannot parse or load go, with the reason: by default the events
 * topic's name + '.dead' (so `waymark.events.dead`), keeping each events topic's dead letters
 * apart.
 */
export const DEAD_LETTER_SUFFIX = '.dead';
export const DEFAULT_DEAD_LETTER_TOPIC = `${DEFAULT_EVENTS_TOPIC}${DEAD_LETTER_SUFFIX}`;

const envSchema = z.object({
  ...kafkaEnv,
  KAFKA_EVENTS_TOPIC: z.string().min(1).default(DEFAULT_EVENTS_TOPIC),
  KAFKA_DEAD_LETTER_TOPIC: z.string().min(1).optional(),
  KAFKA_TOPIC_PARTITIONS: int(1, 1000, DEFAULT_TOPIC_PARTITIONS),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default('waymark-processor'),
  // How long the group waits for a silent member (a crashed one) before handing its partitions
  // to the others. The broker's floor is group.min.session.timeout.ms (6 s by default).
  KAFKA_SESSION_TIMEOUT_MS: int(1000, 600_000, 30_000),
  // The server and its credentials, as the dashboards take them (http or https).
  ...clickhouseEnv,
  // Set for a cluster: migrations run ON CLUSTER with Replicated engines (processor README).
  CLICKHOUSE_CLUSTER: identifier().optional(),
  CLICKHOUSE_REQUEST_TIMEOUT_MS: int(1000, 600_000, 30_000),
  // A migration's copy or backfill reads the whole events table in one statement.
  CLICKHOUSE_MIGRATION_TIMEOUT_MS: int(1000, 86_400_000, 3_600_000),
  // 20000 rows or 500 ms, whichever comes first: one insert per half second at most under low
  // load keeps end-to-end freshness well under 2 s and ClickHouse parts few and large.
  PROCESSOR_BATCH_ROWS: int(1, 1_000_000, 20_000),
  PROCESSOR_BATCH_MS: int(10, 60_000, 500),
  // How many partition batches are handled at once; they share one insert.
  PROCESSOR_PARTITION_CONCURRENCY: int(1, 1000, 16),
  // Threads that decode, validate, enrich and serialize records (most of the CPU); 0 does it on
  // the event loop. One core is left to the event loop (fetching, inserting).
  PROCESSOR_PREPARE_THREADS: int(0, 64, Math.min(4, Math.max(1, availableParallelism() - 1))),
  PROCESSOR_RETRY_MIN_MS: int(10, 60_000, 200),
  PROCESSOR_RETRY_MAX_MS: int(10, 600_000, 5000),
  PROCESSOR_SHUTDOWN_MS: int(100, 600_000, 15_000),
  // Bytes (before compression) one dead-letter send carries; a single larger dead letter is sent
  // as a stub. Half of Kafka's default max.message.bytes (1,048,588): a batch fits even when
  // gzip gains nothing. Lower it for a dead-letter topic with a lower max.message.bytes.
  PROCESSOR_DEAD_LETTER_MAX_BYTES: int(65_536, 64 * 1024 * 1024, 512 * 1024),
  // /health answers 503 once loading made no progress for this long while there is lag: an
  // outage the processor cannot get past by itself is then visible to a supervisor or alert.
  PROCESSOR_STALL_TIMEOUT_MS: int(10_000, 86_400_000, 300_000),
  // 'false' for a processor writing through Distributed tables whose local tables are
  // migrated per shard (`main.js migrate`, README "A cluster"): it checks nothing at start.
  PROCESSOR_MIGRATE_ON_START: flag(true),
  // Days events and identity links are kept, for projects without their own `retentionDays`.
  WAYMARK_RETENTION_DAYS: int(1, 36_500, DEFAULT_RETENTION_DAYS),
  /** Keep device summaries (contract/src/schema/summaries.ts); off: the questions read events. */
  PROCESSOR_SUMMARIZE: flag(true),
  PROCESSOR_SUMMARY_INTERVAL_MS: int(100, 600_000, 1000),
  /** Changes younger than this wait for the next pass (an insert may still be committing). */
  PROCESSOR_SUMMARY_SETTLE_MS: int(0, 600_000, 5000),
  PROCESSOR_SUMMARY_MAX_DEVICES: int(1, 10_000_000, 200_000),
  PROCESSOR_HOST: z.string().min(1).default('127.0.0.1'),
  // 0 picks a free port (logged at start).
  PROCESSOR_PORT: int(0, 65535, 8788),
  ...logEnv,
});

export interface ProcessorConfig {
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly eventsTopic: string;
    readonly deadLetterTopic: string;
    readonly partitions: number;
    readonly groupId: string;
    readonly sessionTimeoutMs: number;
    /** Bytes one dead-letter send carries at most; a single larger dead letter becomes a stub. */
    readonly deadLetterMaxBytes: number;
  };
  readonly clickhouse: {
    readonly url: string;
    readonly username: string;
    readonly password: string;
    readonly database: string;
    /** Absent for a single server. */
    readonly cluster?: string;
    readonly requestTimeoutMs: number;
    /** For migration statements (copies, backfills), which can take minutes. */
    readonly migrationTimeoutMs: number;
  };
  readonly batch: {
    readonly maxRows: number;
    readonly maxMs: number;
    readonly partitionConcurrency: number;
    readonly prepareThreads: number;
  };
  readonly retry: { readonly minMs: number; readonly maxMs: number };
  readonly shutdownMs: number;
  /** No progress for this long while there is lag: /health answers 503 (stalled). */
  readonly stallTimeoutMs: number;
  /** Apply pending migrations before consuming (the default). */
  readonly migrateOnStart: boolean;
  /** Per-project data retention, applied as table TTL with the migrations. */
  readonly retention: RetentionSpec;
  /** The device summarizer; `projects`: each configured project's session timeout (ms). */
  readonly summaries: {
    readonly enabled: boolean;
    readonly projects: ReadonlyMap<string, number>;
    readonly intervalMs: number;
    readonly settleMs: number;
    readonly maxDevices: number;
  };
  readonly http: { readonly host: string; readonly port: number };
  readonly logLevel: string;
}

/** Parses the processor's settings once; every problem is listed in one error. */
export function loadProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  return loadConfig(
    {
      service: 'processor',
      schema: envSchema,
      // The projects, as the collector reads them: their retention periods and session timeouts.
      read: (source) => loadProjects(source),
      readErrors: [ProjectsConfigError],
      alsoReads: ['WAYMARK_PROJECTS', 'WAYMARK_PROJECTS_FILE'],
      build: (e, projects, problem): ProcessorConfig => {
        if (e.PROCESSOR_RETRY_MIN_MS > e.PROCESSOR_RETRY_MAX_MS) {
          problem('PROCESSOR_RETRY_MIN_MS', 'must not exceed PROCESSOR_RETRY_MAX_MS');
        }
        return {
          kafka: {
            brokers: e.KAFKA_BROKERS,
            eventsTopic: e.KAFKA_EVENTS_TOPIC,
            deadLetterTopic:
              e.KAFKA_DEAD_LETTER_TOPIC ?? `${e.KAFKA_EVENTS_TOPIC}${DEAD_LETTER_SUFFIX}`,
            partitions: e.KAFKA_TOPIC_PARTITIONS,
            groupId: e.KAFKA_CONSUMER_GROUP,
            sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
            deadLetterMaxBytes: e.PROCESSOR_DEAD_LETTER_MAX_BYTES,
          },
          clickhouse: {
            ...clickhouseServer(e),
            ...(e.CLICKHOUSE_CLUSTER ? { cluster: e.CLICKHOUSE_CLUSTER } : {}),
            requestTimeoutMs: e.CLICKHOUSE_REQUEST_TIMEOUT_MS,
            migrationTimeoutMs: e.CLICKHOUSE_MIGRATION_TIMEOUT_MS,
          },
          batch: {
            maxRows: e.PROCESSOR_BATCH_ROWS,
            maxMs: e.PROCESSOR_BATCH_MS,
            partitionConcurrency: e.PROCESSOR_PARTITION_CONCURRENCY,
            prepareThreads: e.PROCESSOR_PREPARE_THREADS,
          },
          retry: { minMs: e.PROCESSOR_RETRY_MIN_MS, maxMs: e.PROCESSOR_RETRY_MAX_MS },
          shutdownMs: e.PROCESSOR_SHUTDOWN_MS,
          stallTimeoutMs: e.PROCESSOR_STALL_TIMEOUT_MS,
          migrateOnStart: e.PROCESSOR_MIGRATE_ON_START,
          retention: {
            defaultDays: e.WAYMARK_RETENTION_DAYS,
            projects: Object.fromEntries(
              projects.flatMap((p) =>
                p.retentionDays === undefined ? [] : [[p.id, p.retentionDays]],
              ),
            ),
          },
          summaries: {
            enabled: e.PROCESSOR_SUMMARIZE,
            projects: new Map(projects.map((p) => [p.id, p.sessionTimeoutMinutes * 60_000])),
            intervalMs: e.PROCESSOR_SUMMARY_INTERVAL_MS,
            settleMs: e.PROCESSOR_SUMMARY_SETTLE_MS,
            maxDevices: e.PROCESSOR_SUMMARY_MAX_DEVICES,
          },
          http: { host: e.PROCESSOR_HOST, port: e.PROCESSOR_PORT },
          logLevel: e.LOG_LEVEL,
        };
      },
    },
    env,
  );
}
