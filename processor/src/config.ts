import { DEFAULT_EVENTS_TOPIC, DEFAULT_TOPIC_PARTITIONS } from '@waymark/collector/topics';
import { z } from 'zod';

const envSchema = z.object({
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  KAFKA_EVENTS_TOPIC: z.string().min(1).default(DEFAULT_EVENTS_TOPIC),
  KAFKA_TOPIC_PARTITIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_TOPIC_PARTITIONS),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default('waymark-processor'),
  CLICKHOUSE_URL: z.string().url().default('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only')
    .default('waymark'),
  PROCESSOR_BATCH_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  PROCESSOR_BATCH_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ProcessorConfig {
  readonly kafka: {
    readonly brokers: string[];
    readonly eventsTopic: string;
    readonly partitions: number;
    readonly groupId: string;
  };
  readonly clickhouse: { readonly url: string; readonly database: string };
  readonly batch: { readonly maxRows: number; readonly maxMs: number };
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the processor's settings once; every problem is listed in one error. */
export function loadProcessorConfig(env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid processor config — fix: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    kafka: Object.freeze({
      brokers: e.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      eventsTopic: e.KAFKA_EVENTS_TOPIC,
      partitions: e.KAFKA_TOPIC_PARTITIONS,
      groupId: e.KAFKA_CONSUMER_GROUP,
    }),
    clickhouse: Object.freeze({ url: e.CLICKHOUSE_URL, database: e.CLICKHOUSE_DATABASE }),
    batch: Object.freeze({ maxRows: e.PROCESSOR_BATCH_ROWS, maxMs: e.PROCESSOR_BATCH_MS }),
    logLevel: e.LOG_LEVEL,
  });
}
