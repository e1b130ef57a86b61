import type { ClickHouseClient, ClickHouseClientConfigOptions } from '@clickhouse/client';
import {
  type ClickHouseOptions,
  createClickHouseClient as createKitClient,
  clickHouseClientOptions as kitClientOptions,
} from '@waymark/kit/clickhouse';
import type { ProcessorConfig } from '../config.js';

type ClickHouseConfig = ProcessorConfig['clickhouse'];

/**
 * The configured server as the kit takes it (URL, user and password, the request timeout). No
 * default database: migrations create it, and every statement names it.
 */
function loaderOptions(clickhouse: ClickHouseConfig): ClickHouseOptions {
  const { url, username, password, requestTimeoutMs } = clickhouse;
  return { url, username, password, requestTimeoutMs };
}

/**
 * The same server for migrations: a copy or backfill over the whole events table can run for
 * minutes, so the timeout is `migrationTimeoutMs`, and the server sends a progress header every
 * 110 s meanwhile, which keeps a load balancer with the common 120 s idle timeout from closing
 * the connection. Not more often: the headers add up, and Node refuses a response whose headers
 * pass 16 KB (at the default 100 ms a 10 M-row copy did; at 110 s an hour is ~33 headers, 8 KB).
 */
function migrationOptions(clickhouse: ClickHouseConfig): ClickHouseOptions {
  return {
    ...loaderOptions(clickhouse),
    requestTimeoutMs: clickhouse.migrationTimeoutMs,
    settings: { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '110000' },
  };
}

export function clickHouseClientOptions(
  clickhouse: ClickHouseConfig,
): ClickHouseClientConfigOptions {
  return kitClientOptions(loaderOptions(clickhouse));
}

export function migrationClientOptions(
  clickhouse: ClickHouseConfig,
): ClickHouseClientConfigOptions {
  return kitClientOptions(migrationOptions(clickhouse));
}

export function createClickHouseClient(clickhouse: ClickHouseConfig): ClickHouseClient {
  return createKitClient(loaderOptions(clickhouse));
}

export function createMigrationClient(clickhouse: ClickHouseConfig): ClickHouseClient {
  return createKitClient(migrationOptions(clickhouse));
}
