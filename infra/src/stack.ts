import { ensureChromium } from './browser.js';
import {
  clickhouseStatus,
  clickhouseUrl,
  ensureClickHouseInstalled,
  startClickHouse,
  stopClickHouse,
} from './clickhouse.js';
import type { StackConfig } from './config.js';
import { ensureKafkaJars, kafkaBrokers, kafkaStatus, startKafka, stopKafka } from './kafka.js';
import type { ServiceStatus } from './process.js';

export interface StackEndpoints {
  kafkaBrokers: string;
  clickhouseUrl: string;
}

/** Installs everything the stack and the tests need; safe to run again. */
export function installStack(config: StackConfig): void {
  ensureKafkaJars(config);
  ensureClickHouseInstalled();
  ensureChromium();
}

/** Starts Kafka and ClickHouse (concurrently: each waits for its own readiness). Idempotent. */
export async function stackUp(config: StackConfig): Promise<StackEndpoints> {
  await Promise.all([startKafka(config), startClickHouse(config)]);
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
