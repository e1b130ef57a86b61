import { existsSync } from 'node:fs';
import { type StackEndpoints, stackUp } from '@waymark/stack';
import { loadStackConfig } from '@waymark/stack/config';

export interface ResolvedServices extends StackEndpoints {
  source: 'env' | 'testcontainers' | 'local-stack';
  stop: () => Promise<void>;
}

// Images used only where a Docker engine answers; the local stack pins the same Kafka line and
// the same ClickHouse release (26.9, from the chdb-core wheel).
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.0';
const CLICKHOUSE_IMAGE = 'clickhouse/clickhouse-server:26.9';

async function dockerAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<ResolvedServices> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { ClickHouseContainer } = await import('@testcontainers/clickhouse');
  const [kafka, clickhouse] = await Promise.all([
    new KafkaContainer(KAFKA_IMAGE).withKraft().start(),
    new ClickHouseContainer(CLICKHOUSE_IMAGE).start(),
  ]);
  const chUrl = new URL(clickhouse.getHttpUrl());
  chUrl.username = clickhouse.getUsername();
  chUrl.password = clickhouse.getPassword();
  return {
    source: 'testcontainers',
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    clickhouseUrl: chUrl.toString().replace(/\/$/, ''),
    stop: async () => {
      await Promise.all([kafka.stop(), clickhouse.stop()]);
    },
  };
}

/**
 * Where the tests find Kafka and ClickHouse, in this order: KAFKA_BROKERS + CLICKHOUSE_URL from
 * the environment; a Docker engine via testcontainers; else the local stack the repo starts
 * (left running afterwards, so the next run starts in a second).
 */
export async function resolveServices(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedServices> {
  if (env.KAFKA_BROKERS && env.CLICKHOUSE_URL) {
    return {
      source: 'env',
      kafkaBrokers: env.KAFKA_BROKERS,
      clickhouseUrl: env.CLICKHOUSE_URL,
      stop: async () => {},
    };
  }
  if (await dockerAnswers()) return startContainers();
  const endpoints = await stackUp(loadStackConfig(env));
  return { source: 'local-stack', ...endpoints, stop: async () => {} };
}
