import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: infra/stack/src/config.ts → ../../../ */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** This package's root (infra/stack/): its config/ templates and pom.xml. */
export const stackRoot = fileURLToPath(new URL('../', import.meta.url));

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const stackEnvSchema = z.object({
  KAFKA_PORT: port(9092),
  KAFKA_CONTROLLER_PORT: port(9093),
  KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mg]$/i, 'a JVM size such as 512m or 1g')
    .default('768m'),
  CLICKHOUSE_HTTP_PORT: port(8123),
  WAYMARK_STATE_DIR: z.string().min(1).optional(),
  WAYMARK_CACHE_DIR: z.string().min(1).optional(),
});

export interface StackConfig {
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly kafkaHeap: string;
  readonly clickhouseHttpPort: number;
  /** Where data, logs and pid files live (git-ignored). */
  readonly stateDir: string;
  /**
   * Where downloaded components live (Kafka jars, the ClickHouse wheel), shared by every state
   * dir — a private stack for a chaos or outage test reuses them instead of fetching again.
   */
  readonly cacheDir: string;
}

/** An expected, user-fixable problem: printed as one line, never as a stack trace. */
export class StackError extends Error {
  override readonly name = 'StackError';
}

/** Parses the local stack's settings from the environment, once, reporting every bad value. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = stackEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new StackError(`invalid stack settings — fix: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    kafkaPort: e.KAFKA_PORT,
    kafkaControllerPort: e.KAFKA_CONTROLLER_PORT,
    kafkaHeap: e.KAFKA_HEAP,
    clickhouseHttpPort: e.CLICKHOUSE_HTTP_PORT,
    stateDir: resolve(repoRoot, e.WAYMARK_STATE_DIR ?? '.waymark'),
    cacheDir: resolve(repoRoot, e.WAYMARK_CACHE_DIR ?? join('.waymark', 'cache')),
  });
}
