/**
 * Sessions and people for events without a Waymark SDK session (Segment, RudderStack and server
 * libraries), against answers worked out by hand: sessions from the events' own times and
 * touches, people keyed by anonymous id or user id, Segment's spec names, and the same answers
 * for a replay in another order with duplicates.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type EventRow, summarizeWindow, TABLES } from '@waymark/contract/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, insertRows } from '../test/database.js';
import { eventRow, identityRow } from '../test/events.js';
import { createQueries, type ProjectQueryContext, type Queries } from './index.js';
import {
  attributionParams,
  dropoffParams,
  funnelParams,
  retentionParams,
  trendsParams,
} from './params.js';
import { DEFAULT_STAGE_RULES } from './stages.js';

/** The own touch of a landing, as the collector classifies it (session_* = first_* columns). */
const TOUCHES = {
  paid: { channel: 'paid', source: 'google', medium: 'cpc', campaign: 'winter' },
  email: { channel: 'email', source: 'newsletter', medium: 'email', campaign: 'nov' },
  organic: { channel: 'organic', source: 'google', medium: 'organic', campaign: '' },
  social: { channel: 'social', source: 't.co', medium: 'referral', campaign: '' },
  direct: { channel: 'direct', source: '(direct)', medium: '(none)', campaign: '' },
} as const;
type Touch = keyof typeof TOUCHES;

function touchColumns(touch: Touch): Partial<EventRow> {
  const t = TOUCHES[touch];
  const columns: Partial<EventRow> = {};
  for (const prefix of ['session', 'first'] as const) {
    Object.assign(columns, {
      [`${prefix}_channel`]: t.channel,
      [`${prefix}_source`]: t.source,
      [`${prefix}_medium`]: t.medium,
      [`${prefix}_campaign`]: t.campaign,
    });
  }
  return columns;
}

const day = (d: number, time: string) => `2026-11-${String(d).padStart(2, '0')} ${time}`;
/** A page view landing with `touch` (internal navigation is `direct` with a page URL). */
const page = (who: Ids, at: string, touch: Touch, path = '/') =>
  eventRow({
    ...who,
    timestamp: at,
    type: 'page',
    page_url: `https://shop.example${path}`,
    page_path: path,
    ...touchColumns(touch),
  });
/** A tracked event; `browser` ones carry the page they happened on, server ones nothing. */
const track = (who: Ids, at: string, event: string, extra: Partial<EventRow> = {}) =>
  eventRow({ ...who, timestamp: at, type: 'track', event, ...touchColumns('direct'), ...extra });
const identify = (who: Ids, at: string) =>
  eventRow({
    ...who,
    timestamp: at,
    type: 'identify',
    page_url: 'https://shop.example/',
    ...touchColumns('direct'),
  });
interface Ids {
  anonymous_id: string;
  user_id?: string;
}

/**
 * - ana: paid landing, back 2 h later by email (new session), then 10 min later an internal
 *   page (same session), buys `Order Completed` 100 → last touch email, first touch paid.
 * - bo: organic landing; 20 min later a social landing (a new attribution key: new session);
 *   buys `order-completed` 50 in it → last touch social, 2 sessions.
 * - cy: browser device c1 (email landing), identifies as user "cy"; a second device c2 lands
 *   direct a day later and identifies; the order is server-side, userId only → one person,
 *   touches email then direct → first email, last direct, last non-direct email.
 * - dee: userId-only server events (signup, order) and no visit: a person ("dee"), not
 *   attributed (no touch); "eve" likewise — two people, never one.
 * - fay: a landing, then touch-less server tracks every 20 min for an hour, then a page 25 min
 *   after the last: one session (the tracks keep it alive); the page is her second view.
 */
function journeys(): EventRow[] {
  const ana = { anonymous_id: 'ana-1' };
  const bo = { anonymous_id: 'bo-1' };
  const c1 = { anonymous_id: 'cy-1' };
  const c2 = { anonymous_id: 'cy-2' };
  const fay = { anonymous_id: 'fay-1' };
  return [
    page(ana, day(2, '10:00:00'), 'paid'),
    page(ana, day(2, '12:00:00'), 'email'),
    page(ana, day(2, '12:10:00'), 'direct', '/cart'),
    track(ana, day(2, '12:11:00'), 'Order Completed', {
      revenue: 100,
      page_url: 'https://shop.example/cart',
    }),
    page(bo, day(3, '09:00:00'), 'organic'),
    page(bo, day(3, '09:20:00'), 'social'),
    track(bo, day(3, '09:25:00'), 'Product Viewed', { page_url: 'https://shop.example/p' }),
    track(bo, day(3, '09:26:00'), 'order-completed', {
      revenue: 50,
      page_url: 'https://shop.example/p',
    }),
    page(c1, day(4, '08:00:00'), 'email'),
    identify({ ...c1, user_id: 'cy' }, day(4, '08:01:00')),
    page(c2, day(5, '20:00:00'), 'direct'),
    identify({ ...c2, user_id: 'cy' }, day(5, '20:02:00')),
    track({ anonymous_id: '', user_id: 'cy' }, day(5, '20:05:00'), 'Order Completed', {
      revenue: 30,
    }),
    track({ anonymous_id: '', user_id: 'dee' }, day(6, '10:00:00'), 'Signed Up'),
    track({ anonymous_id: '', user_id: 'dee' }, day(6, '10:05:00'), 'Order Completed', {
      revenue: 7,
    }),
    track({ anonymous_id: '', user_id: 'eve' }, day(6, '11:00:00'), 'Order Completed', {
      revenue: 9,
    }),
    page(fay, day(7, '10:00:00'), 'organic'),
    track(fay, day(7, '10:20:00'), 'heartbeat'),
    track(fay, day(7, '10:40:00'), 'heartbeat'),
    track(fay, day(7, '11:00:00'), 'heartbeat'),
    page(fay, day(7, '11:25:00'), 'direct', '/more'),
  ];
}

const identities = () => [
  identityRow({ anonymous_id: 'cy-1', user_id: 'cy', timestamp: day(4, '08:01:00') }),
  identityRow({ anonymous_id: 'cy-2', user_id: 'cy', timestamp: day(5, '20:02:00') }),
];

const november = { from: '2026-11-01', to: '2026-11-30' };
const ctx: ProjectQueryContext = {
  projectId: 'p1',
  rules: DEFAULT_STAGE_RULES,
  sessionTimeoutMs: 30 * 60_000,
};

let client: ClickHouseClient;
let database: string;
let replayed: string;
let queries: Queries;

beforeAll(async () => {
  ({ client, database } = await freshDatabase('dash_sessions'));
  await insertRows(client, database, journeys(), identities());
  // The same events in reverse order, with every third one stored twice (a client retry a
  // second later, as the collector may store it).
  replayed = (await freshDatabase('dash_sessions_replay')).database;
  const rows = journeys().reverse();
  const secondLater = (at: string) =>
    new Date(Date.parse(`${at.replace(' ', 'T')}Z`) + 1000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
  const retried = rows
    .filter((_, i) => i % 3 === 0)
    .map((r) => ({
      ...r,
      timestamp: secondLater(r.timestamp),
      received_at: secondLater(r.timestamp),
    }));
  await insertRows(client, replayed, [...rows, ...retried], identities());
  queries = createQueries(client, database);
});

afterAll(async () => {
  for (const db of [database, replayed])
    await client?.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await client?.close();
});

const credit = (result: Awaited<ReturnType<Queries['attribution']>>, model: string) =>
  Object.fromEntries(
    result.channels
      .map((c) => [c.channel, c.models[model as 'linear']?.conversions ?? 0] as const)
      .filter(([, n]) => n > 0),
  );

describe('sessions for events without an SDK session', () => {
  it('start anew after inactivity and at a new campaign or referrer, and give each its landing channel', async () => {
    const result = await queries.attribution(ctx, attributionParams.parse(november));
    // Conversions with a touch: ana, bo, cy (dee's and eve's have none).
    expect(result.conversions).toBe(3);
    expect(result.revenue).toBe(180);
    expect(credit(result, 'last_touch')).toEqual({ email: 1, social: 1, direct: 1 });
    expect(credit(result, 'first_touch')).toEqual({ paid: 1, organic: 1, email: 1 });
    expect(credit(result, 'last_non_direct')).toEqual({ email: 2, social: 1 });
    expect(credit(result, 'linear')).toEqual({
      paid: 0.5,
      email: 1,
      organic: 0.5,
      social: 0.5,
      direct: 0.5,
    });
  });

  it('count trends by the session each event falls in', async () => {
    const result = await queries.trends(ctx, trendsParams.parse(november));
    const total = result.series.find((s) => s.channel === '');
    // ana 2, bo 2, cy 3 (one per browser and one server-side), fay 1, dee 1, eve 1.
    expect(total?.sessions.reduce((a, b) => a + b, 0)).toBe(10);
    const day7 = result.buckets.indexOf('2026-11-07');
    expect(result.series.find((s) => s.channel === 'organic')?.sessions[day7]).toBe(1);
  });

  it('follow the project timeout', async () => {
    const short = await queries.funnel(
      { ...ctx, sessionTimeoutMs: 10 * 60_000 },
      funnelParams.parse(november),
    );
    const normal = await queries.funnel(ctx, funnelParams.parse(november));
    // fay engages by her second page view in one session: only while tracks keep it alive.
    const engaged = (r: typeof normal) => r.total.steps[1]?.people;
    expect((engaged(normal) ?? 0) - (engaged(short) ?? 0)).toBe(1);
  });
});

describe('people for every key', () => {
  it("count userId-only events as their user's, each user once", async () => {
    const funnel = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, breakdown: 'first_channel' }),
    );
    // Aware: ana, bo, cy, dee, eve, fay. Engaged: ana (2 pages in a session), bo (Product
    // Viewed), dee (Signed Up), fay (2 pages). Transacted: ana, bo, dee (cy and eve bought
    // without engaging first).
    expect(funnel.total.steps.map((s) => s.people)).toEqual([6, 4, 3, 0]);
    const byChannel = Object.fromEntries(
      funnel.groups.map((g) => [g.key, g.steps.map((s) => s.people)]),
    );
    // By first touch: ana paid, bo organic, cy email, fay organic; dee and eve direct (no touch).
    expect(byChannel).toEqual({
      paid: [1, 1, 1, 0],
      organic: [2, 2, 1, 0],
      email: [1, 0, 0, 0],
      direct: [2, 1, 1, 0],
    });
    const identified = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, identified: 'yes' }),
    );
    expect(identified.total.steps[0]?.people).toBe(3);
  });
});

describe('answers that mean what they say', () => {
  it("never give identify as a person's last step", async () => {
    const result = await queries.dropoff(
      ctx,
      dropoffParams.parse({ ...november, stage: 'awareness' }),
    );
    const kinds = [...result.total.stopped.top, ...result.total.continued.top].map((e) => e.kind);
    expect(kinds).not.toContain('identify');
    expect(kinds.length).toBeGreaterThan(0);
  });

  it('answer null for retention weeks that have not begun', async () => {
    const result = await queries.retention(ctx, retentionParams.parse({ ...november, weeks: '6' }));
    // One cohort week, 2026-11-02. The range ends with 2026-11-30: weeks 0–4 (from 11-30) have
    // begun, weeks 5 and 6 (from 12-07) not.
    const all = result.cohorts.find((c) => c.cohort === '2026-11-02' && c.channel === '');
    expect(all?.people).toBe(6);
    expect(all?.returning).toEqual([6, 0, 0, 0, 0, null, null]);
    expect(all?.returningShare.slice(4)).toEqual([0, null, null]);
  });
});

describe('a replay in another order with duplicates', () => {
  it('gives identical answers', async () => {
    const replay = createQueries(client, replayed);
    const ask = (q: Queries) =>
      Promise.all([
        q.funnel(ctx, funnelParams.parse({ ...november, breakdown: 'first_channel' })),
        q.attribution(ctx, attributionParams.parse(november)),
        q.trends(ctx, trendsParams.parse(november)),
        q.dropoff(ctx, dropoffParams.parse({ ...november, stage: 'engagement' })),
      ]);
    expect(await ask(replay)).toEqual(await ask(queries));
  });
});

describe('a device with SDK and server-side events', () => {
  it('keeps the SDK session and the server-side one apart', async () => {
    const { database: mixed } = await freshDatabase('dash_sessions_mixed');
    const who = { anonymous_id: 'mix-1' };
    await insertRows(client, mixed, [
      { ...page(who, day(8, '10:00:00'), 'paid'), session_id: 'sdk-s1' },
      { ...page(who, day(8, '10:05:00'), 'direct', '/p'), session_id: 'sdk-s1' },
      track(who, day(8, '12:00:00'), 'heartbeat'),
    ]);
    try {
      const result = await createQueries(client, mixed).trends(ctx, trendsParams.parse(november));
      const total = result.series.find((s) => s.channel === '');
      expect(total?.sessions).toEqual([2]);
      expect(total?.people).toEqual([1]);
    } finally {
      await client.command({ query: `DROP DATABASE IF EXISTS ${mixed}` });
    }
  });
});

describe('answers from device summaries', () => {
  /** Summarizes every changed device, `maxDevices` a window, as the processor's summarizer does. */
  const summarizeAll = async (maxDevices: number) => {
    for (;;) {
      const done = await summarizeWindow(client, database, {
        projectId: ctx.projectId,
        timeoutMs: ctx.sessionTimeoutMs,
        settleMs: 0,
        maxDevices,
      });
      if (done.pending === 0) return;
    }
  };

  /** Every question, under rules and timeouts the summaries were and were not built for. */
  const everything = (q: Queries) =>
    Promise.all([
      ...(['none', 'first_channel', 'session_channel', 'campaign', 'device'] as const).map(
        (breakdown) => q.funnel(ctx, funnelParams.parse({ ...november, breakdown })),
      ),
      q.funnel(ctx, funnelParams.parse({ ...november, identified: 'yes', window: '1' })),
      q.funnel({ ...ctx, sessionTimeoutMs: 10 * 60_000 }, funnelParams.parse(november)),
      q.funnel(
        {
          ...ctx,
          rules: {
            ...ctx.rules,
            engagement: { ...ctx.rules.engagement, minPageViewsPerSession: 3 },
          },
        },
        funnelParams.parse(november),
      ),
      q.attribution(ctx, attributionParams.parse(november)),
      q.attribution(ctx, attributionParams.parse({ ...november, lookback: '1', halfLife: '0.5' })),
      q.trends(ctx, trendsParams.parse(november)),
      ...(['awareness', 'engagement', 'transaction'] as const).map((stage) =>
        q.dropoff(ctx, dropoffParams.parse({ ...november, stage })),
      ),
      q.retention(ctx, retentionParams.parse({ ...november, weeks: '3' })),
      // A range that cuts through people's events: those devices are read from their events.
      q.funnel(ctx, funnelParams.parse({ from: '2026-11-03', to: '2026-11-06' })),
    ]);

  it('are the answers read from the events, also just after a late event', async () => {
    const fromEvents = await everything(queries);
    await summarizeAll(3);
    const [summarized] = await client
      .query({
        query: `SELECT count() AS n FROM ${database}.${TABLES.deviceSummaries}`,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<{ n: string }>());
    expect(Number(summarized?.n)).toBeGreaterThan(5);
    expect(await everything(createQueries(client, database))).toEqual(fromEvents);

    // A late event of a summarized person counts at once (its device is read from its events).
    await insertRows(client, database, [
      track({ anonymous_id: 'f1' }, day(3, '09:00:00'), 'Order Completed', { revenue: 20 }),
    ]);
    const late = await everything(createQueries(client, database));
    expect(late).not.toEqual(fromEvents);
    // Every device read from its events (bots included: there are none) gives the same answer.
    const funnelNow = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, bots: 'include' }),
    );
    expect(late[0]).toEqual(funnelNow);
  });

  it('are what the funnel reads once summarized: the events themselves are not read again', async () => {
    await summarizeAll(100);
    const before = await queries.funnel(ctx, funnelParams.parse(november));
    await client.command({
      query: `DELETE FROM ${database}.${TABLES.events} WHERE 1`,
      clickhouse_settings: { lightweight_deletes_sync: '2' },
    });
    expect(await createQueries(client, database).funnel(ctx, funnelParams.parse(november))).toEqual(
      before,
    );
    const raw = await queries.funnel(ctx, funnelParams.parse({ ...november, bots: 'include' }));
    expect(raw.total.steps[0]?.people).toBe(0);
  });
});
