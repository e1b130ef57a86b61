/**
 * The one place a ClickHouse client is made: the server's URL (http, or https for TLS, verified
 * against Node's CA store plus NODE_EXTRA_CA_CERTS), user and password, the request timeout, and
 * no client-side logging (callers log a failure once, with context, instead of the client on
 * every retry). Only this subpath loads @clickhouse/client (an optional peer dependency).
 */
import {
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  ClickHouseLogLevel,
  createClient,
} from '@clickhouse/client';

export interface ClickHouseOptions {
  url: string;
  /** `default` when absent (the server's own default user). */
  username?: string;
  password?: string;
  requestTimeoutMs: number;
  /** A default database for unqualified names; services name it in every statement instead. */
  database?: string;
  /** Server settings sent with every request. */
  settings?: ClickHouseClientConfigOptions['clickhouse_settings'];
}

export function clickHouseClientOptions(options: ClickHouseOptions): ClickHouseClientConfigOptions {
  return {
    url: options.url,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    request_timeout: options.requestTimeoutMs,
    ...(options.settings === undefined ? {} : { clickhouse_settings: options.settings }),
    log: { level: ClickHouseLogLevel.OFF },
  };
}

export function createClickHouseClient(options: ClickHouseOptions): ClickHouseClient {
  return createClient(clickHouseClientOptions(options));
}
