/**
 * A database created by the schema before millisecond timestamps (the processor's migrations
 * 1–3, as on ClickHouse 18.16) and holding the hand-built journeys upgrades in place: after
 * the processor's later migrations every question answers exactly as before, and as on a
 * database created fresh with the same rows.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, TABLES } from '@waymark/contract/schema';
import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../test/database.js';
import { journeyEvents, journeyIdentities } from '../test/journeys.js';
import { MODELS } from './attribution.js';
import { BREAKDOWNS } from './breakdown.js';
import { DROPOFF_STAGES } from './dropoff.js';
import { createQueries } from './index.js';
import {
  attributionParams,
  dropoffParams,
  funnelParams,
  retentionParams,
  trendsParams,
} from './params.js';
import { DEFAULT_STAGE_RULES, stageRulesSchema } from './stages.js';
import { INTERVALS } from './trends.js';

let client: ClickHouseClient;
const upgraded = uniqueDatabase('dash_upgrade');
const fresh = uniqueDatabase('dash_upgrade_fresh');

const november = { from: '2026-11-01', to: '2026-11-30' };
const rules = [
  DEFAULT_STAGE_RULES,
  // Without the page-view rule, and with sign-ups as transactions: other paths through the rollup.
  stageRulesSchema.parse({ engagement: { minPageViewsPerSession: 0 } }),
  stageRulesSchema.parse({ transaction: { events: ['signed_up'] } }),
];

/** Every question the dashboards ask, under every breakdown, stage, model and interval. */
async function everyAnswer(database: string) {
  const queries = createQueries(client, database);
  const answers: Record<string, unknown> = {};
  for (const [r, stageRules] of rules.entries()) {
    const ctx = { projectId: 'p1', rules: stageRules, sessionTimeoutMs: 30 * 60_000 };
    for (const breakdown of BREAKDOWNS) {
      answers[`funnel/${r}/${breakdown}`] = await queries.funnel(
        ctx,
        funnelParams.parse({ ...november, breakdown }),
      );
    }
    answers[`funnel/${r}/window1`] = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, window: '1' }),
    );
    for (const stage of DROPOFF_STAGES) {
      answers[`dropoff/${r}/${stage}`] = await queries.dropoff(
        ctx,
        dropoffParams.parse({ ...november, stage }),
      );
    }
  }
  const ctx = { projectId: 'p1', rules: DEFAULT_STAGE_RULES, sessionTimeoutMs: 30 * 60_000 };
  answers.attribution = await queries.attribution(
    ctx,
    attributionParams.parse({ ...november, model: MODELS.join(',') }),
  );
  answers.attributionShort = await queries.attribution(
    ctx,
    attributionParams.parse({ ...november, lookback: '2', halfLife: '0.5' }),
  );
  for (const interval of INTERVALS) {
    answers[`trends/${interval}`] = await queries.trends(
      ctx,
      trendsParams.parse({ ...november, interval }),
    );
  }
  answers.retention = await queries.retention(
    ctx,
    retentionParams.parse({ ...november, weeks: '3' }),
  );
  answers.filtered = await queries.funnel(
    ctx,
    funnelParams.parse({ ...november, channel: 'paid', device: 'desktop', identified: 'no' }),
  );
  answers.bots = await queries.funnel(ctx, funnelParams.parse({ ...november, bots: 'include' }));
  return answers;
}

/** Distinct rows: a migration may store a row twice for a while, as a replay may. */
async function count(database: string, table: string): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM (SELECT DISTINCT * FROM ${database}.${table})`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row?.n);
}

/** Rows per table, and the events as the queries read them (one row per message). */
async function tableContents(database: string) {
  const result = await client.query({
    query: `SELECT project_id, message_id, type, event, anonymous_id, session_id,
        formatDateTime(timestamp, '%F %T') AS at, revenue, session_channel, first_channel, device_type
      FROM ${database}.${TABLES.events} ORDER BY ALL LIMIT 1 BY project_id, message_id, at`,
    format: 'JSONEachRow',
  });
  return {
    events: await count(database, TABLES.events),
    identities: await count(database, TABLES.identities),
    rows: await result.json(),
  };
}

let before: { answers: Record<string, unknown>; tables: Awaited<ReturnType<typeof tableContents>> };

beforeAll(async () => {
  client = testClickHouse();
  // The old schema, with the rows the old processor would have written (whole seconds).
  await migrate(client, upgraded, { until: 3 });
  await insertRows(client, upgraded, journeyEvents(), journeyIdentities());
  before = { answers: await everyAnswer(upgraded), tables: await tableContents(upgraded) };
  expect(await migrate(client, upgraded)).not.toEqual([]);
  await migrate(client, fresh);
  await insertRows(client, fresh, journeyEvents(), journeyIdentities());
}, 180_000);

afterAll(async () => {
  for (const db of [upgraded, fresh]) {
    await client?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  }
  await client?.close();
});

describe('upgrading a database from before millisecond timestamps', () => {
  it('keeps every table’s rows', async () => {
    // Distinct rows: the one Kafka replay among the journeys is the same row twice.
    expect(before.tables.events).toBe(journeyEvents().length - 1);
    expect(await tableContents(upgraded)).toEqual(before.tables);
  });

  it('answers every question exactly as before', async () => {
    // The old schema gave the hand-worked answers (queries.integration.test.ts), not just any.
    const funnel = before.answers['funnel/0/none'] as { total: { steps: { people: number }[] } };
    expect(funnel.total.steps.map((s) => s.people)).toEqual([6, 4, 3, 1]);
    expect((before.answers.attribution as { conversions: number }).conversions).toBe(4);
    const after = await everyAnswer(upgraded);
    expect(Object.keys(after)).toEqual(Object.keys(before.answers));
    for (const [question, answer] of Object.entries(after)) {
      expect(answer, question).toEqual(before.answers[question]);
    }
  }, 120_000);

  it('answers as a database created fresh with the same rows', async () => {
    const answers = await everyAnswer(fresh);
    for (const [question, answer] of Object.entries(answers)) {
      expect(answer, question).toEqual(before.answers[question]);
    }
  }, 120_000);
});
