import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadDashboardsConfig } from './config.js';
import { createQueries } from './queries/index.js';
import { freshDatabase, insertRows } from './test/database.js';
import { journeyEvents, journeyIdentities } from './test/journeys.js';

let client: ClickHouseClient;
let app: FastifyInstance;
const auth = { authorization: 'Bearer rk_p1_reader_0123456789abcdefghij' };
const november = 'from=2026-11-01&to=2026-11-30';

beforeAll(async () => {
  let database: string;
  ({ client, database } = await freshDatabase('dash_api'));
  await insertRows(client, database, journeyEvents(), journeyIdentities());
  const config = loadDashboardsConfig({
    CLICKHOUSE_DATABASE: database,
    WAYMARK_PROJECTS: JSON.stringify([
      { id: 'p1', writeKey: 'wk_p1_writer', readKeys: ['rk_p1_reader_0123456789abcdefghij'] },
      { id: 'p2', writeKey: 'wk_p2_writer', readKeys: ['rk_p2_reader_0123456789abcdefghij'] },
      {
        id: 'p3',
        writeKey: 'wk_p3_writer',
        readKeys: ['rk_p3_reader_0123456789abcdefghij'],
        disabled: true,
      },
    ]),
    WAYMARK_STAGE_RULES: JSON.stringify({ p2: { transaction: { events: ['order_completed'] } } }),
  });
  app = await buildApp(config, { queries: createQueries(client, database) });
});

afterAll(async () => {
  await app?.close();
  await client?.close();
});

const get = (url: string, headers: Record<string, string> = auth) =>
  app.inject({ method: 'GET', url, headers });

describe('read-key auth', () => {
  it('answers 401 without a key or with an unknown one', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer rk_nobody_at_all' },
      { authorization: 'Basic cms=' },
    ];
    for (const headers of attempts) {
      const response = await get(`/api/v1/funnel?${november}`, headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'WAYMARK_ERR_UNAUTHORIZED',
      });
    }
  });

  it('answers 403 for a disabled project', async () => {
    const response = await get(`/api/v1/funnel?${november}`, {
      authorization: 'Bearer rk_p3_reader_0123456789abcdefghij',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('WAYMARK_ERR_FORBIDDEN');
  });

  it("scopes every answer to the key's project", async () => {
    const p2 = await get(`/api/v1/attribution?${november}`, {
      authorization: 'Bearer rk_p2_reader_0123456789abcdefghij',
    });
    expect(p2.statusCode).toBe(200);
    expect(p2.json()).toMatchObject({ conversions: 1, revenue: 500 });
  });
});

describe('questions', () => {
  it('answers every question with JSON', async () => {
    const funnel = await get(`/api/v1/funnel?${november}&breakdown=first_channel`);
    expect(funnel.statusCode).toBe(200);
    expect(funnel.json().total.steps.map((s: { people: number }) => s.people)).toEqual([
      6, 4, 3, 1,
    ]);
    expect(funnel.json().groups).toHaveLength(5);
    const dropoff = await get(`/api/v1/dropoff?${november}&stage=engagement`);
    expect(dropoff.json().total.stopped.people).toBe(1);
    const attribution = await get(`/api/v1/attribution?${november}&model=linear&halfLife=3`);
    expect(attribution.json()).toMatchObject({ conversions: 4, revenue: 260, models: ['linear'] });
    const trends = await get(`/api/v1/trends?${november}&interval=week`);
    expect(trends.json().buckets).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    const retention = await get(`/api/v1/retention?${november}&weeks=2`);
    expect(retention.json().cohorts[0]).toMatchObject({
      cohort: '2026-11-02',
      channel: '',
      people: 5,
    });
  });

  it('accepts repeated and comma-separated list parameters', async () => {
    const a = await get(`/api/v1/funnel?${november}&channel=email&channel=social`);
    const b = await get(`/api/v1/funnel?${november}&channel=email,social`);
    expect(a.json()).toEqual(b.json());
    expect(a.json().total.steps[0].people).toBe(2);
  });

  it("tells the key's project and stage rules", async () => {
    const response = await get('/api/v1/project');
    expect(response.json()).toMatchObject({
      id: 'p1',
      stageRules: { retention: { afterDays: 1 } },
    });
  });
});

describe('parameter validation', () => {
  it.each([
    ['funnel', 'to=2026-11-30', 'from'],
    ['funnel', 'from=2026-11-01', 'to'],
    ['funnel', 'from=2026-13-01&to=2026-11-30', 'from'],
    ['funnel', 'from=2026-11-30&to=2026-11-01', 'to'],
    ['funnel', `${november}&breakdown=os`, 'breakdown'],
    ['funnel', `${november}&window=0`, 'window'],
    ['funnel', `${november}&channel=tv`, 'channel'],
    ['funnel', `${november}&identified=maybe`, 'identified'],
    ['funnel', `${november}&bots=sometimes`, 'bots'],
    ['dropoff', `${november}&stage=retention`, 'stage'],
    ['dropoff', `${november}&limit=1000`, 'limit'],
    ['attribution', `${november}&model=shapley`, 'model'],
    ['attribution', `${november}&halfLife=-1`, 'halfLife'],
    ['attribution', `${november}&lookback=x`, 'lookback'],
    ['trends', `${november}&interval=hour`, 'interval'],
    ['retention', `${november}&weeks=99`, 'weeks'],
  ])('%s?%s → 400 naming %s', async (question, query, field) => {
    const response = await get(`/api/v1/${question}?${query}`);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'WAYMARK_ERR_INVALID_PARAMETER',
    });
    expect(body.message).toContain(`"${field}"`);
  });

  it('refuses unknown parameters by name', async () => {
    const response = await get(`/api/v1/funnel?${november}&sql=1`);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('"sql"');
  });

  it.each(["x' OR 1=1 --", "'; DROP TABLE events; --", '\\', "\\'; SELECT 1 --"])(
    'treats %j in text parameters as a literal, and refuses it in structural ones',
    async (value) => {
      const v = encodeURIComponent(value);
      const literal = await get(`/api/v1/funnel?${november}&campaign=${v}&device=${v}`);
      expect(literal.statusCode).toBe(200);
      expect(literal.json().total.steps[0].people).toBe(0);
      for (const param of ['from', 'breakdown', 'channel', 'identified', 'window']) {
        const refused = await get(
          `/api/v1/funnel?${november.replace(`${param}=`, 'x_=')}&${param}=${v}`,
        );
        expect(refused.statusCode, param).toBe(400);
      }
      const model = await get(`/api/v1/attribution?${november}&model=${v}`);
      expect(model.statusCode).toBe(400);
      const after = await get(`/api/v1/funnel?${november}`);
      expect(after.json().total.steps[0].people).toBe(6);
    },
  );
});

describe('service routes', () => {
  it('describes the API in OpenAPI 3.1 with every parameter', async () => {
    const response = await get('/api/v1/openapi.json', {});
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe('3.1.0');
    const funnel = doc.paths['/api/v1/funnel'].get;
    expect(funnel.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'from',
        'to',
        'channel',
        'campaign',
        'device',
        'identified',
        'bots',
        'breakdown',
        'window',
      ]),
    );
    expect(
      funnel.parameters.find((p: { name: string }) => p.name === 'breakdown').schema.enum,
    ).toContain('session_channel');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/dropoff',
        '/api/v1/attribution',
        '/api/v1/trends',
        '/api/v1/retention',
      ]),
    );
  });

  it('answers /health and a coded 404', async () => {
    expect((await get('/health', {})).json()).toEqual({ status: 'ok' });
    const missing = await get('/api/v1/nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'WAYMARK_ERR_NOT_FOUND' });
  });
});
