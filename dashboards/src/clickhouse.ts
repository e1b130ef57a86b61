import { type ClickHouseClient, createClient } from '@clickhouse/client';
import type { DashboardsConfig } from './config.js';

export function clickhouseClient(config: Pick<DashboardsConfig, 'clickhouse'>): ClickHouseClient {
  return createClient({
    url: config.clickhouse.url,
    username: config.clickhouse.username,
    password: config.clickhouse.password,
    request_timeout: 60_000,
  });
}
