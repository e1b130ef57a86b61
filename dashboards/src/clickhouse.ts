import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient } from '@waymark/kit/clickhouse';
import type { DashboardsConfig } from './config.js';

/** The query client: the kit's, allowing a question a minute. */
export function clickhouseClient(config: Pick<DashboardsConfig, 'clickhouse'>): ClickHouseClient {
  return createClickHouseClient({
    url: config.clickhouse.url,
    username: config.clickhouse.username,
    password: config.clickhouse.password,
    requestTimeoutMs: 60_000,
  });
}
