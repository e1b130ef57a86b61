import { z } from 'zod';
import { DEFAULT_EVENTS_TOPIC, DEFAULT_TOPIC_PARTITIONS } from './topics.js';

const projectSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _'),
  writeKey: z.string().min(8, 'at least 8 characters'),
});

const envSchema = z.object({
  COLLECTOR_HOST: z.string().default('127.0.0.1'),
  COLLECTOR_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  KAFKA_EVENTS_TOPIC: z.string().min(1).default(DEFAULT_EVENTS_TOPIC),
  KAFKA_TOPIC_PARTITIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_TOPIC_PARTITIONS),
  /** JSON list of projects: [{"id":"demo","writeKey":"..."}]. */
  WAYMARK_PROJECTS: z
    .string()
    .default('[{"id":"demo","writeKey":"wk_demo_local"}]')
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(projectSchema).min(1)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface CollectorConfig {
  readonly host: string;
  readonly port: number;
  readonly kafka: {
    readonly brokers: string[];
    readonly eventsTopic: string;
    readonly partitions: number;
  };
  readonly projects: readonly z.infer<typeof projectSchema>[];
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the collector's settings once; every problem is listed in one error. */
export function loadCollectorConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
    throw new ConfigError(`invalid collector config — fix: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    host: e.COLLECTOR_HOST,
    port: e.COLLECTOR_PORT,
    kafka: Object.freeze({
      brokers: e.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      eventsTopic: e.KAFKA_EVENTS_TOPIC,
      partitions: e.KAFKA_TOPIC_PARTITIONS,
    }),
    projects: Object.freeze(e.WAYMARK_PROJECTS),
    logLevel: e.LOG_LEVEL,
  });
}
