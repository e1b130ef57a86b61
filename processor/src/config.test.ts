import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { clickHouseClientOptions, migrationClientOptions } from './clickhouse/client.js';
import { ConfigError, DEFAULT_DEAD_LETTER_TOPIC, loadProcessorConfig } from './config.js';

describe('loadProcessorConfig', () => {
  it('has working defaults', () => {
    const config = loadProcessorConfig({});
    expect(config.kafka.deadLetterTopic).toBe(DEFAULT_DEAD_LETTER_TOPIC);
    expect(config.batch).toMatchObject({ maxRows: 20_000, maxMs: 500, partitionConcurrency: 16 });
    // One core is left to the event loop; at least one thread, at most four.
    expect(config.batch.prepareThreads).toBe(Math.min(4, Math.max(1, availableParallelism() - 1)));
    expect(loadProcessorConfig({ PROCESSOR_PREPARE_THREADS: '0' }).batch.prepareThreads).toBe(0);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8788 });
    expect(config.migrateOnStart).toBe(true);
    expect(loadProcessorConfig({ PROCESSOR_MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
    expect(() => loadProcessorConfig({ PROCESSOR_MIGRATE_ON_START: 'no' })).toThrow(
      /PROCESSOR_MIGRATE_ON_START/,
    );
    expect(Object.isFrozen(config.kafka)).toBe(true);
  });

  it('lists every bad value in one error', () => {
    const load = () =>
      loadProcessorConfig({
        CLICKHOUSE_URL: 'not a url',
        CLICKHOUSE_DATABASE: 'drop table;',
        PROCESSOR_BATCH_ROWS: '0',
        PROCESSOR_PORT: 'eighty',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /CLICKHOUSE_URL.*CLICKHOUSE_DATABASE.*PROCESSOR_BATCH_ROWS.*PROCESSOR_PORT/,
    );
  });

  it('rejects a retry floor above its ceiling', () => {
    expect(() =>
      loadProcessorConfig({ PROCESSOR_RETRY_MIN_MS: '5000', PROCESSOR_RETRY_MAX_MS: '100' }),
    ).toThrow(/PROCESSOR_RETRY_MIN_MS/);
  });

  it('names the dead-letter topic after the events topic unless told otherwise', () => {
    expect(loadProcessorConfig({ KAFKA_EVENTS_TOPIC: 'shop.events' }).kafka.deadLetterTopic).toBe(
      'shop.events.dead',
    );
    expect(
      loadProcessorConfig({ KAFKA_EVENTS_TOPIC: 'shop.events', KAFKA_DEAD_LETTER_TOPIC: 'dlq' })
        .kafka.deadLetterTopic,
    ).toBe('dlq');
  });

  it('bounds dead-letter sends and the stall timeout, within checked ranges', () => {
    const config = loadProcessorConfig({});
    expect(config.kafka.deadLetterMaxBytes).toBe(512 * 1024);
    expect(config.stallTimeoutMs).toBe(300_000);
    const set = loadProcessorConfig({
      PROCESSOR_DEAD_LETTER_MAX_BYTES: '100000',
      PROCESSOR_STALL_TIMEOUT_MS: '60000',
    });
    expect([set.kafka.deadLetterMaxBytes, set.stallTimeoutMs]).toEqual([100_000, 60_000]);
    expect(() =>
      loadProcessorConfig({
        PROCESSOR_DEAD_LETTER_MAX_BYTES: '10',
        PROCESSOR_STALL_TIMEOUT_MS: '0',
      }),
    ).toThrow(/PROCESSOR_DEAD_LETTER_MAX_BYTES.*PROCESSOR_STALL_TIMEOUT_MS/);
  });

  it('splits the broker list', () => {
    expect(loadProcessorConfig({ KAFKA_BROKERS: 'a:1, b:2' }).kafka.brokers).toEqual([
      'a:1',
      'b:2',
    ]);
  });

  it('reaches the local ClickHouse by default, as user default without a password', () => {
    const { clickhouse } = loadProcessorConfig({});
    expect(clickhouse).toEqual({
      url: 'http://127.0.0.1:8123',
      username: 'default',
      password: '',
      database: 'waymark',
      requestTimeoutMs: 30_000,
      migrationTimeoutMs: 3_600_000,
    });
    expect(Object.isFrozen(clickhouse)).toBe(true);
  });

  it('takes a TLS server with credentials, a database and a cluster, and hands them to the client', () => {
    const { clickhouse } = loadProcessorConfig({
      CLICKHOUSE_URL: 'https://abc.eu-west-1.aws.clickhouse.cloud:8443',
      CLICKHOUSE_USER: 'waymark_loader',
      CLICKHOUSE_PASSWORD: 's3cret: with spaces',
      CLICKHOUSE_DATABASE: 'analytics',
      CLICKHOUSE_CLUSTER: 'main',
      CLICKHOUSE_REQUEST_TIMEOUT_MS: '60000',
    });
    expect(clickhouse).toMatchObject({ database: 'analytics', cluster: 'main' });
    expect(clickHouseClientOptions(clickhouse)).toMatchObject({
      url: 'https://abc.eu-west-1.aws.clickhouse.cloud:8443',
      username: 'waymark_loader',
      password: 's3cret: with spaces',
      request_timeout: 60_000,
    });
    // No default database on the client: the migrations create it.
    expect(clickHouseClientOptions(clickhouse)).not.toHaveProperty('database');
    // Migrations: same server and user, a long timeout, progress headers to stay alive.
    expect(migrationClientOptions(clickhouse)).toMatchObject({
      url: 'https://abc.eu-west-1.aws.clickhouse.cloud:8443',
      username: 'waymark_loader',
      password: 's3cret: with spaces',
      request_timeout: 3_600_000,
      clickhouse_settings: { send_progress_in_http_headers: 1 },
    });
  });

  it('refuses a ClickHouse URL that is not http(s), an empty user and a bad cluster name', () => {
    const load = () =>
      loadProcessorConfig({
        CLICKHOUSE_URL: 'tcp://127.0.0.1:9000',
        CLICKHOUSE_USER: '',
        CLICKHOUSE_CLUSTER: 'main; DROP',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /CLICKHOUSE_URL: an http:\/\/ or https:\/\/ URL.*CLICKHOUSE_USER.*CLICKHOUSE_CLUSTER/,
    );
  });
});
