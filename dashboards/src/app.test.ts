import { createClickHouseClient } from '@waymark/kit/clickhouse';
import { freePort } from '@waymark/test-harness';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadDashboardsConfig } from './config.js';
import { createQueries } from './queries/index.js';

const clients: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

it('answers 503 with a code when ClickHouse cannot be reached', async () => {
  const client = createClickHouseClient({
    url: `http://127.0.0.1:${await freePort()}`,
    requestTimeoutMs: 2000,
  });
  clients.push(client);
  const app = await buildApp(loadDashboardsConfig({}), {
    queries: createQueries(client, 'waymark'),
  });
  const response = await app.inject({
    method: 'GET',
    url: '/api/v1/funnel?from=2026-11-01&to=2026-11-30',
    headers: { authorization: 'Bearer rk_demo_local' },
  });
  expect(response.statusCode).toBe(503);
  expect(response.json()).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    code: 'WAYMARK_ERR_STORE_UNAVAILABLE',
    message: 'the event store did not answer',
  });
  await app.close();
});
