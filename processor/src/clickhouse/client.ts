import {
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  ClickHouseLogLevel,
  createClient,
} from '@clickhouse/client';
import type { ProcessorConfig } from '../config.js';

/**
 * The @clickhouse/client settings for the configured server: its URL (http, or https for TLS,
 * verified against Node's CA store plus NODE_EXTRA_CA_CERTS), the user and password, the
 * request timeout. No default database: migrations create it, and every statement names it.
 */
export function clickHouseClientOptions(
  clickhouse: ProcessorConfig['clickhouse'],
): ClickHouseClientConfigOptions {
  return {
    url: clickhouse.url,
    username: clickhouse.username,
    password: clickhouse.password,
    request_timeout: clickhouse.requestTimeoutMs,
    // Failures are logged once by the caller, with context, instead of by the client on every retry.
    log: { level: ClickHouseLogLevel.OFF },
  };
}

export function createClickHouseClient(
  clickhouse: ProcessorConfig['clickhouse'],
): ClickHouseClient {
  return createClient(clickHouseClientOptions(clickhouse));
}

/**
 * The same server for migrations: a copy or backfill over the whole events table can run for
 * minutes, so the timeout is `migrationTimeoutMs`, and the server sends a progress header every
 * 110 s meanwhile, which keeps a load balancer with the common 120 s idle timeout from closing
 * the connection. Not more often: the headers add up, and Node refuses a response whose headers
 * pass 16 KB (at the default 100 ms a 10 M-row copy did; at 110 s an hour is ~33 headers, 8 KB).
 */
export function migrationClientOptions(
  clickhouse: ProcessorConfig['clickhouse'],
): ClickHouseClientConfigOptions {
  return {
    ...clickHouseClientOptions(clickhouse),
    request_timeout: clickhouse.migrationTimeoutMs,
    clickhouse_settings: {
      send_progress_in_http_headers: 1,
      http_headers_progress_interval_ms: '110000',
    },
  };
}

export function createMigrationClient(clickhouse: ProcessorConfig['clickhouse']): ClickHouseClient {
  return createClient(migrationClientOptions(clickhouse));
}
