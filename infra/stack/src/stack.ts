import { ensureChromium } from './browser.js';
import {
  clickhouseStatus,
  clickhouseUrl,
  ensureClickHouseInstalled,
  startClickHouse,
  stopClickHouse,
} from './clickhouse.js';
import { type StackConfig, StackError } from './config.js';
import { ensureKafkaJars, kafkaBrokers, kafkaStatus, startKafka, stopKafka } from './kafka.js';
import type { ServiceStatus } from './process.js';

export interface StackEndpoints {
  kafkaBrokers: string;
  clickhouseUrl: string;
}

/** Installs everything the stack and the tests need; safe to run again. */
export function installStack(config: StackConfig): void {
  ensureKafkaJars(config);
  ensureClickHouseInstalled(config);
  ensureChromium();
}

/**
 * Starts Kafka and ClickHouse (concurrently: each waits for its own readiness). Idempotent.
 * Both are attempted even if one fails, so one error can name every problem to fix.
 */
export async function stackUp(config: StackConfig): Promise<StackEndpoints> {
  const results = await Promise.allSettled([startKafka(config), startClickHouse(config)]);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const unexpected = failures.find((f) => !(f instanceof StackError));
  if (unexpected !== undefined) throw unexpected;
  if (failures.length > 0) {
    throw new StackError(failures.map((f) => (f as StackError).message).join('; also '));
  }
  return { kafkaBrokers: kafkaBrokers(config), clickhouseUrl: clickhouseUrl(config) };
}

/** Stops only the processes whose pid files the repo wrote. */
export async function stackDown(config: StackConfig): Promise<string[]> {
  const [kafka, clickhouse] = await Promise.all([stopKafka(config), stopClickHouse(config)]);
  return [kafka ? 'kafka' : undefined, clickhouse ? 'clickhouse' : undefined].filter(
    (name): name is string => name !== undefined,
  );
}

export function stackStatus(config: StackConfig): ServiceStatus[] {
  return [kafkaStatus(config), clickhouseStatus(config)];
}
