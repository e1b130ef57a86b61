/**
 * A private Kafka + ClickHouse pair for chaos tests: its own ports and state directory, so the
 * test can stop and restart them without touching the shared stack (9092 / 8123) other tests
 * use. The Kafka jars and the ClickHouse wheel come from the shared cache (StackConfig.cacheDir)
 * instead of being fetched again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@waymark/test-harness';
import {
  clickhouseUrl,
  kafkaBrokers,
  loadStackConfig,
  type StackConfig,
  startClickHouse,
  startKafka,
  stopClickHouse,
  stopKafka,
} from '@waymark/test-harness/stack';

export interface PrivateStack {
  config: StackConfig;
  brokers: string;
  clickhouseUrl: string;
  startKafka: () => Promise<void>;
  stopKafka: () => Promise<void>;
  startClickHouse: () => Promise<void>;
  stopClickHouse: () => Promise<void>;
  /** Stops both and removes the state directory. */
  destroy: () => Promise<void>;
}

export async function privateStack(): Promise<PrivateStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'waymark-chaos-'));
  const config = loadStackConfig({
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_HEAP: '512m',
    CLICKHOUSE_HTTP_PORT: String(await freePort()),
    WAYMARK_STATE_DIR: stateDir,
  });
  const stack: PrivateStack = {
    config,
    brokers: kafkaBrokers(config),
    clickhouseUrl: clickhouseUrl(config),
    startKafka: () => startKafka(config),
    stopKafka: async () => {
      await stopKafka(config);
    },
    startClickHouse: () => startClickHouse(config),
    stopClickHouse: async () => {
      await stopClickHouse(config);
    },
    destroy: async () => {
      await Promise.allSettled([stopKafka(config), stopClickHouse(config)]);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all([stack.startKafka(), stack.startClickHouse()]);
  } catch (err) {
    await stack.destroy();
    throw err;
  }
  return stack;
}
