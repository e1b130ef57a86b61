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
