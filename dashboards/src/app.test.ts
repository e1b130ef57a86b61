import { DEFAULT_PROJECTS } from '@waymark/contract/projects';
import { createClickHouseClient } from '@waymark/kit/clickhouse';
import { freePort } from '@waymark/test-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadDashboardsConfig } from './config.js';
import { createQueries, QUESTIONS } from './queries/index.js';

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
    headers: { authorization: 'Bearer rk_demo_local_only_never_a_secret' },
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

describe('hostile input and headers', () => {
  const unreachable = async () => {
    const client = createClickHouseClient({
      url: `http://127.0.0.1:${await freePort()}`,
      requestTimeoutMs: 2000,
    });
    clients.push(client);
    const app = await buildApp(loadDashboardsConfig({}), {
      queries: createQueries(client, 'waymark'),
    });
    clients.push(app);
    return app;
  };
  const auth = { authorization: `Bearer ${DEFAULT_PROJECTS[0]?.readKeys[0]}` };

  it.each(QUESTIONS.map((q) => q.name))(
    '%s: a date the store cannot hold is a 400 naming the parameter, not a 500',
    async (question) => {
      const app = await unreachable();
      for (const [query, field] of [
        ['from=9999-12-31&to=9999-12-31', 'from'],
        ['from=2026-11-01&to=9999-12-31', 'to'],
        ['from=1969-12-31&to=2026-11-30', 'from'],
      ] as const) {
        const response = await app.inject({ url: `/api/v1/${question}?${query}`, headers: auth });
        expect(response.statusCode, query).toBe(400);
        expect(response.json()).toMatchObject({ code: 'WAYMARK_ERR_INVALID_PARAMETER' });
        expect(response.json().message).toContain(`"${field}"`);
      }
    },
  );

  it('sends nosniff and no referrer everywhere, and no-store on API answers', async () => {
    const app = await unreachable();
    for (const url of ['/api/v1/project', '/api/v1/funnel', '/health', '/nope', '/']) {
      const response = await app.inject({ url, headers: auth });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      if (url.startsWith('/api/')) expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });
});

describe('read-key guessing', () => {
  it('answers 429 with Retry-After after too many failed keys from one address', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const client = createClickHouseClient({ url: 'http://127.0.0.1:1', requestTimeoutMs: 1000 });
    clients.push(client);
    const config = loadDashboardsConfig({
      DASHBOARDS_AUTH_FAILURES_PER_IP: '5',
      DASHBOARDS_AUTH_FAILURE_WINDOW_MS: '60000',
    });
    const app = await buildApp(config, {
      queries: createQueries(client, 'waymark'),
      now: () => now,
    });
    clients.push(app);
    const good = `Bearer ${DEFAULT_PROJECTS[0]?.readKeys[0]}`;
    const ask = (authorization: string, remoteAddress = '198.51.100.7') =>
      app.inject({ url: '/api/v1/project', headers: { authorization }, remoteAddress });

    for (let i = 0; i < 5; i++) expect((await ask(`Bearer rk_guess_${i}`)).statusCode).toBe(401);
    const limited = await ask('Bearer rk_guess_5');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'WAYMARK_ERR_RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right key: the address is guessing.
    expect((await ask(good)).statusCode).toBe(429);
    // Another address is not affected, and the window passes.
    expect((await ask(good, '203.0.113.8')).statusCode).toBe(200);
    now += 60_001;
    expect((await ask(good)).statusCode).toBe(200);
  });
});
