/**
 * The collector's settings: parsed once at boot from the environment (and WAYMARK_CONFIG_FILE)
 * with the kit's config helper, every problem listed in one ConfigError, frozen.
 */
import { loadProjects, type ProjectConfig, ProjectsConfigError } from '@waymark/contract/projects';
import {
  DEFAULT_EVENTS_TOPIC,
  DEFAULT_INVALID_EVENTS_TOPIC,
  DEFAULT_TOPIC_PARTITIONS,
} from '@waymark/contract/topics';
import { ConfigError, int, kafkaEnv, loadConfig, logEnv } from '@waymark/kit/config';
import { z } from 'zod';

/** The Kafka clients the collector can produce through (KAFKA_CLIENT). */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

export { ConfigError };

const envSchema = z.object({
  COLLECTOR_HOST: z.string().default('127.0.0.1'),
  COLLECTOR_PORT: int(0, 65535, 8787),
  /** Fastify `trustProxy`: `true`, a hop count, or a comma-separated list of proxy addresses. */
  COLLECTOR_TRUST_PROXY: z.string().default('false'),
  /** Requests per window per write key; 0 turns the limit off. */
  COLLECTOR_RATE_LIMIT_PER_KEY: int(0, 10_000_000, 6000),
  /** Requests per window per client IP; 0 turns the limit off. */
  COLLECTOR_RATE_LIMIT_PER_IP: int(0, 10_000_000, 1200),
  COLLECTOR_RATE_LIMIT_WINDOW_MS: int(100, 3_600_000, 60_000),
  /**
   * Authenticated requests whose body has arrived, being processed at once; beyond, 503 instead
   * of unbounded memory growth. Connections still sending are bounded per IP and in time below.
   */
  COLLECTOR_MAX_IN_FLIGHT: int(1, 100_000, 512),
  /**
   * Open connections per client address; beyond, 429 and closed at once. 0 turns it off (behind
   * a proxy every connection comes from the proxy: let the proxy bound its clients instead).
   */
  COLLECTOR_MAX_CONNECTIONS_PER_IP: int(0, 1_000_000, 128),
  /** The whole body must have arrived this long after the headers, else 408 and closed. */
  COLLECTOR_BODY_TIMEOUT_MS: int(100, 300_000, 15_000),
  /**
   * The bearer token `/metrics` requires; unset, `/metrics` answers 404. The counters name every
   * project, so they are not public.
   */
  COLLECTOR_METRICS_TOKEN: z
    .union([
      z.literal(''),
      z.string().min(32, 'at least 32 characters (e.g. openssl rand -base64 32)'),
    ])
    .optional(),
  /** How long a shutdown waits for in-flight requests and the producer flush. */
  COLLECTOR_SHUTDOWN_TIMEOUT_MS: int(100, 600_000, 15_000),
  ...kafkaEnv,
  KAFKA_EVENTS_TOPIC: z.string().min(1).default(DEFAULT_EVENTS_TOPIC),
  KAFKA_INVALID_EVENTS_TOPIC: z.string().min(1).default(DEFAULT_INVALID_EVENTS_TOPIC),
  KAFKA_TOPIC_PARTITIONS: int(1, 1000, DEFAULT_TOPIC_PARTITIONS),
  /**
   * None by default: Kafka is a buffer of days here, not the store (ClickHouse compresses what it
   * keeps), and gzip costs the processor ~4 µs of CPU per event to inflate (bench `loader`) and
   * the broker its validation; `gzip` trades that for ~18x less broker disk and network.
   */
  KAFKA_COMPRESSION: z.enum(['gzip', 'none']).default('none'),
  /** zlib level of gzip compression: 1 is fastest, 9 smallest. */
  KAFKA_GZIP_LEVEL: int(1, 9, 1),
  /** Bound on waiting for the broker's acknowledgement before answering 503. */
  KAFKA_PRODUCE_TIMEOUT_MS: int(100, 120_000, 5000),
  /** Idempotent producers, each with one produce request out at a time. */
  KAFKA_PRODUCERS: int(1, 16, 2),
  /** The Kafka client that produces: kafkajs, or @platformatic/kafka (less CPU per record). */
  KAFKA_CLIENT: z
    .enum(KAFKA_CLIENTS, { error: `must be one of ${KAFKA_CLIENTS.join(', ')}` })
    .default('kafkajs'),
  ...logEnv,
});

export interface CollectorConfig {
  readonly host: string;
  readonly port: number;
  readonly trustProxy: boolean | number | string[];
  readonly rateLimit: {
    readonly perKey: number;
    readonly perIp: number;
    readonly windowMs: number;
  };
  readonly maxInFlight: number;
  /** 0: no cap. */
  readonly maxConnectionsPerIp: number;
  readonly bodyTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Absent: /metrics is off. */
  readonly metricsToken?: string;
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly eventsTopic: string;
    readonly invalidEventsTopic: string;
    readonly partitions: number;
    readonly compression: 'gzip' | 'none';
    readonly gzipLevel: number;
    readonly produceTimeoutMs: number;
    readonly producers: number;
    readonly client: KafkaClientName;
  };
  readonly projects: readonly ProjectConfig[];
  readonly logLevel: string;
}

function parseTrustProxy(raw: string): CollectorConfig['trustProxy'] {
  if (raw === 'true') return true;
  if (raw === 'false' || raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((s) => s.trim());
}

/** Parses the collector's settings once; every problem is listed in one error. */
export function loadCollectorConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  return loadConfig(
    {
      service: 'collector',
      schema: envSchema,
      alsoReads: ['WAYMARK_PROJECTS', 'WAYMARK_PROJECTS_FILE'],
      read: (source) => loadProjects(source),
      readErrors: [ProjectsConfigError],
      build: (e, projects): CollectorConfig => ({
        host: e.COLLECTOR_HOST,
        port: e.COLLECTOR_PORT,
        trustProxy: parseTrustProxy(e.COLLECTOR_TRUST_PROXY),
        rateLimit: {
          perKey: e.COLLECTOR_RATE_LIMIT_PER_KEY,
          perIp: e.COLLECTOR_RATE_LIMIT_PER_IP,
          windowMs: e.COLLECTOR_RATE_LIMIT_WINDOW_MS,
        },
        maxInFlight: e.COLLECTOR_MAX_IN_FLIGHT,
        maxConnectionsPerIp: e.COLLECTOR_MAX_CONNECTIONS_PER_IP,
        bodyTimeoutMs: e.COLLECTOR_BODY_TIMEOUT_MS,
        shutdownTimeoutMs: e.COLLECTOR_SHUTDOWN_TIMEOUT_MS,
        ...(e.COLLECTOR_METRICS_TOKEN ? { metricsToken: e.COLLECTOR_METRICS_TOKEN } : {}),
        kafka: {
          brokers: e.KAFKA_BROKERS,
          eventsTopic: e.KAFKA_EVENTS_TOPIC,
          invalidEventsTopic: e.KAFKA_INVALID_EVENTS_TOPIC,
          partitions: e.KAFKA_TOPIC_PARTITIONS,
          compression: e.KAFKA_COMPRESSION,
          gzipLevel: e.KAFKA_GZIP_LEVEL,
          produceTimeoutMs: e.KAFKA_PRODUCE_TIMEOUT_MS,
          producers: e.KAFKA_PRODUCERS,
          client: e.KAFKA_CLIENT,
        },
        projects,
        logLevel: e.LOG_LEVEL,
      }),
    },
    env,
  );
}
