import type { ClickHouseClient, ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import { clickHouseClientOptions as kitClientOptions } from '@waymark/kit/clickhouse';
import type { ProcessorConfig } from '../config.js';

/**
 * The kit's client settings for the configured server (URL, user and password, the request
 * timeout, no client logging). No default database: migrations create it, and every statement
 * names it.
 */
export function clickHouseClientOptions(
  clickhouse: ProcessorConfig['clickhouse'],
  requestTimeoutMs = clickhouse.requestTimeoutMs,
  settings?: ClickHouseClientConfigOptions['clickhouse_settings'],
): ClickHouseClientConfigOptions {
  const { url, username, password } = clickhouse;
  return kitClientOptions({
    url,
    username,
    password,
    requestTimeoutMs,
    ...(settings ? { settings } : {}),
  });
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
  return clickHouseClientOptions(clickhouse, clickhouse.migrationTimeoutMs, {
    send_progress_in_http_headers: 1,
    http_headers_progress_interval_ms: '110000',
  });
}

export function createMigrationClient(clickhouse: ProcessorConfig['clickhouse']): ClickHouseClient {
  return createClient(migrationClientOptions(clickhouse));
}
