import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, insertRows } from '../test/database.js';
import { eventRow } from '../test/events.js';
import { CONVERSION_PATHS, journeyEvents, journeyIdentities } from '../test/journeys.js';
import { createQueries, type Queries } from './index.js';
import {
  attributionParams,
  dropoffParams,
  funnelParams,
  retentionParams,
  trendsParams,
} from './params.js';
import { DEFAULT_STAGE_RULES, stageRulesSchema } from './stages.js';

// The expected numbers are worked out by hand from src/test/journeys.ts.
let client: ClickHouseClient;
let queries: Queries;
let database: string;
const ctx = { projectId: 'p1', rules: DEFAULT_STAGE_RULES, sessionTimeoutMs: 30 * 60_000 };
const november = { from: '2026-11-01', to: '2026-11-30' };

beforeAll(async () => {
  ({ client, database } = await freshDatabase('dash_queries'));
  await insertRows(client, database, journeyEvents(), journeyIdentities());
  queries = createQueries(client, database);
});

afterAll(async () => {
  await client?.close();
});

const people = (steps: { people: number }[]) => steps.map((s) => s.people);

describe('funnel', () => {
  it('counts stitched people per stage, once per message, without bots', async () => {
    const result = await queries.funnel(ctx, funnelParams.parse(november));
    expect(people(result.total.steps)).toEqual([6, 4, 3, 1]);
    const [awareness, engagement, transaction, retention] = result.total.steps;
    expect(engagement).toMatchObject({
      dropOff: 2,
      stepConversion: 4 / 6,
      overallConversion: 4 / 6,
    });
    expect(transaction).toMatchObject({
      dropOff: 1,
      stepConversion: 3 / 4,
      overallConversion: 3 / 6,
    });
    expect(retention).toMatchObject({ dropOff: 2, dropOffRate: 2 / 3 });
    expect(awareness?.medianSecondsFromPrevious).toBeNull();
    // awareness → engagement: 60, 120, 180, 2 days + 60 s; ClickHouse's exact median of an even
    // count is the upper middle value.
    expect(engagement?.medianSecondsFromPrevious).toBe(180);
    // engagement → transaction: 240, 20 h 8 min, 24 h 4 min.
    expect(transaction?.medianSecondsFromPrevious).toBe(72_480);
    // alice: order 11-02 10:05 → back 11-05 09:00.
    expect(retention?.medianSecondsFromPrevious).toBe(255_300);
  });

  it('breaks down by first-touch channel', async () => {
    const result = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, breakdown: 'first_channel' }),
    );
    const byKey = Object.fromEntries(result.groups.map((g) => [g.key, people(g.steps)]));
    expect(byKey).toEqual({
      paid: [2, 2, 1, 1],
      organic: [1, 1, 1, 0],
      display: [1, 1, 1, 0],
      email: [1, 0, 0, 0],
      social: [1, 0, 0, 0],
    });
    expect(people(result.total.steps)).toEqual([6, 4, 3, 1]);
  });

  it('breaks down by session channel, campaign and device of the entry session', async () => {
    const bySession = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, breakdown: 'session_channel' }),
    );
    expect(bySession.groups.map((g) => g.key).sort()).toEqual([
      'display',
      'email',
      'organic',
      'paid',
      'social',
    ]);
    const byDevice = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, breakdown: 'device' }),
    );
    expect(Object.fromEntries(byDevice.groups.map((g) => [g.key, people(g.steps)]))).toEqual({
      desktop: [5, 3, 3, 1],
      mobile: [1, 1, 0, 0],
    });
    const byCampaign = await queries.funnel(
      ctx,
      funnelParams.parse({ ...november, breakdown: 'campaign' }),
    );
    expect(Object.fromEntries(byCampaign.groups.map((g) => [g.key, people(g.steps)]))).toEqual({
      '': [4, 2, 2, 0],
      spring: [2, 2, 1, 1],
    });
  });

  it('filters people by first touch, campaign, device and identity, and can include bots', async () => {
    const run = async (extra: Record<string, string>) =>
      people(
        (await queries.funnel(ctx, funnelParams.parse({ ...november, ...extra }))).total.steps,
      );
    // alice keeps her email device's history: the filter is on the person's first touch.
    expect(await run({ channel: 'paid' })).toEqual([2, 2, 1, 1]);
    expect(await run({ channel: 'email,social' })).toEqual([2, 0, 0, 0]);
    expect(await run({ campaign: 'spring' })).toEqual([2, 2, 1, 1]);
    expect(await run({ device: 'mobile' })).toEqual([1, 1, 0, 0]);
    expect(await run({ identified: 'yes' })).toEqual([1, 1, 1, 1]);
    expect(await run({ identified: 'no' })).toEqual([5, 3, 2, 0]);
    expect(await run({ bots: 'include' })).toEqual([7, 5, 4, 1]);
    expect(await run({ from: '2026-11-06', to: '2026-11-08' })).toEqual([3, 1, 0, 0]);
  });

  it('applies the conversion window and changed stage rules to stored history', async () => {
    const short = await queries.funnel(ctx, funnelParams.parse({ ...november, window: '1' }));
    expect(people(short.total.steps)).toEqual([6, 3, 2, 0]);
    // Without the page-view rule alice never engages, so her orders no longer count.
    const rules = stageRulesSchema.parse({ engagement: { minPageViewsPerSession: 0 } });
    const changed = await queries.funnel({ ...ctx, rules }, funnelParams.parse(november));
    expect(people(changed.total.steps)).toEqual([6, 3, 2, 0]);
    const signupsOnly = stageRulesSchema.parse({ transaction: { events: ['signed_up'] } });
    const other = await queries.funnel(
      { ...ctx, rules: signupsOnly },
      funnelParams.parse(november),
    );
    // carol's sign-up is her engagement moment and her transaction (same moment, in order).
    expect(people(other.total.steps)).toEqual([6, 4, 1, 0]);
  });
});

describe('drop-off', () => {
  it('compares the last step of people who stopped with those who went on', async () => {
    const result = await queries.dropoff(
      ctx,
      dropoffParams.parse({ ...november, stage: 'awareness' }),
    );
    expect(result.total.stopped).toEqual({
      people: 2,
      top: [
        { kind: 'page', name: '/', people: 1, share: 0.5 },
        { kind: 'page', name: '/blog2', people: 1, share: 0.5 },
      ],
    });
    expect(result.total.continued).toEqual({
      people: 4,
      top: [
        { kind: 'page', name: '/', people: 3, share: 0.75 },
        { kind: 'page', name: '/guide', people: 1, share: 0.25 },
      ],
    });
    const byChannel = Object.fromEntries(
      result.channels.map((g) => [g.channel, [g.stopped.people, g.continued.people]]),
    );
    expect(byChannel).toEqual({
      email: [1, 0],
      social: [1, 0],
      paid: [0, 2],
      organic: [0, 1],
      display: [0, 1],
    });
  });

  it('looks at later stages and limits the list', async () => {
    const result = await queries.dropoff(
      ctx,
      dropoffParams.parse({ ...november, stage: 'engagement', limit: '1' }),
    );
    // carol stopped after signing up; alice, bob, gina went on to buy.
    expect(result.total.stopped).toEqual({
      people: 1,
      top: [{ kind: 'track', name: 'signed_up', people: 1, share: 1 }],
    });
    expect(result.total.continued.people).toBe(3);
    expect(result.total.continued.top).toHaveLength(1);
  });
});

describe('attribution', () => {
  const expected = {
    first_touch: { paid: [2, 130], organic: [1, 50], display: [1, 80] },
    last_touch: { paid: [1, 100], email: [1, 30], direct: [2, 130] },
    last_non_direct: { paid: [1, 100], email: [1, 30], organic: [1, 50], referral: [1, 80] },
    linear: {
      paid: [1.5, 115],
      email: [0.5, 15],
      organic: [0.5, 25],
      direct: [1, 65],
      display: [0.25, 20],
      referral: [0.25, 20],
    },
    position_based: {
      paid: [1.5, 115],
      email: [0.5, 15],
      organic: [0.5, 25],
      direct: [1, 65],
      display: [0.4, 32],
      referral: [0.1, 8],
    },
  } as const;

  /** Time decay worked out from its definition: 2^(-age / half-life), normalized per path. */
  function timeDecay(halfLifeDays: number): Record<string, [number, number]> {
    const out: Record<string, [number, number]> = {};
    for (const c of CONVERSION_PATHS) {
      const at = Date.parse(`${c.at.replace(' ', 'T')}Z`);
      const raw = c.touches.map(
        ([t]) => 2 ** (-(at - Date.parse(`${t.replace(' ', 'T')}Z`)) / (halfLifeDays * 86_400_000)),
      );
      const sum = raw.reduce((a, b) => a + b, 0);
      c.touches.forEach(([, channel], i) => {
        const w = (raw[i] ?? 0) / sum;
        const prev = out[channel] ?? [0, 0];
        out[channel] = [prev[0] + w, prev[1] + w * c.revenue];
      });
    }
    return out;
  }

  it('credits each conversion under every model, stitched across devices', async () => {
    const result = await queries.attribution(ctx, attributionParams.parse(november));
    expect(result.conversions).toBe(4);
    expect(result.revenue).toBe(260);
    const credited = (model: keyof (typeof result.channels)[number]['models']) =>
      Object.fromEntries(
        result.channels
          .filter((c) => c.models[model].conversions > 0)
          .map((c) => [c.channel, [c.models[model].conversions, c.models[model].revenue]]),
      );
    for (const [model, channels] of Object.entries(expected)) {
      expect(credited(model as keyof typeof expected), model).toEqual(channels);
    }
    const decay = credited('time_decay');
    for (const [channel, [conversions, revenue]] of Object.entries(timeDecay(7))) {
      expect(decay[channel]?.[0]).toBeCloseTo(conversions, 9);
      expect(decay[channel]?.[1]).toBeCloseTo(revenue, 9);
    }
  });

  it('honours the half-life, the lookback and the model list', async () => {
    const result = await queries.attribution(
      ctx,
      attributionParams.parse({
        ...november,
        halfLife: '0.5',
        lookback: '2',
        model: 'time_decay,linear',
      }),
    );
    expect(result.models).toEqual(['time_decay', 'linear']);
    expect(Object.keys(result.channels[0]?.models ?? {})).toEqual(['time_decay', 'linear']);
    // Two days of lookback: gina's path is referral + direct, alice's second conversion email only.
    const linear = Object.fromEntries(
      result.channels.map((c) => [c.channel, c.models.linear.conversions]),
    );
    expect(linear).toEqual({ direct: 1, email: 1, organic: 0.5, paid: 1, referral: 0.5 });
  });

  it('takes touches from before the range start into account', async () => {
    const result = await queries.attribution(
      ctx,
      attributionParams.parse({ from: '2026-11-13', to: '2026-11-13' }),
    );
    expect(result.conversions).toBe(1);
    expect(
      Object.fromEntries(result.channels.map((c) => [c.channel, c.models.first_touch.conversions])),
    ).toEqual({ direct: 0, display: 1, referral: 0 });
  });
});

describe('channel trends', () => {
  it('counts people, sessions and conversions per day and session channel', async () => {
    const result = await queries.trends(ctx, trendsParams.parse({ ...november, interval: 'day' }));
    const all = result.series.find((s) => s.channel === '');
    expect(result.buckets[0]).toBe('2026-11-02');
    expect(all?.sessions.reduce((a, b) => a + b, 0)).toBe(12);
    expect(all?.conversions.reduce((a, b) => a + b, 0)).toBe(4);
    const direct = result.series.find((s) => s.channel === 'direct');
    const day = (d: string) => result.buckets.indexOf(d);
    expect(direct?.conversions[day('2026-11-04')]).toBe(1);
    expect(direct?.conversions[day('2026-11-13')]).toBe(1);
    expect(direct?.people[day('2026-11-11')]).toBe(1);
  });

  it('groups by ISO week', async () => {
    const result = await queries.trends(ctx, trendsParams.parse({ ...november, interval: 'week' }));
    expect(result.buckets).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    const all = result.series.find((s) => s.channel === '');
    expect(all).toEqual({
      channel: '',
      people: [5, 1, 1],
      sessions: [7, 4, 1],
      conversions: [3, 1, 0],
    });
  });
});

describe('retention cohorts', () => {
  it('shows the returning share of each acquisition week and channel', async () => {
    const result = await queries.retention(ctx, retentionParams.parse({ ...november, weeks: '3' }));
    const cohort = (week: string, channel: string) =>
      result.cohorts.find((c) => c.cohort === week && c.channel === channel);
    expect(cohort('2026-11-02', '')).toMatchObject({ people: 5, returning: [5, 0, 1, 0] });
    expect(cohort('2026-11-02', '')?.returningShare).toEqual([1, 0, 0.2, 0]);
    expect(cohort('2026-11-02', 'email')).toMatchObject({ people: 1, returning: [1, 0, 1, 0] });
    expect(cohort('2026-11-09', '')).toMatchObject({ people: 1, returning: [1, 0, 0, 0] });
  });
});

describe('hostile parameter values', () => {
  const hostile = [
    "x' OR 1=1 --",
    "'; DROP TABLE events; --",
    '\\',
    "\\'",
    "p1' OR project_id != '",
    "spring') OR ('1'='1",
    // Server-side parameters: a value that looks like a placeholder stays a value.
    '{project_0:String}',
    "{campaigns_3:Array(String)}') OR 1 --",
    'nul\0byte',
    'line\nbreak\ttab\rcr',
    // (no comma: list parameters split on commas before any SQL)
    "['a'] OR 1",
  ];

  it.each(hostile)('treats %j as a literal value everywhere', async (value) => {
    const scope = { ...november, campaign: value, device: value };
    expect(people((await queries.funnel(ctx, funnelParams.parse(scope))).total.steps)).toEqual([
      0, 0, 0, 0,
    ]);
    expect((await queries.attribution(ctx, attributionParams.parse(scope))).conversions).toBe(0);
    expect((await queries.trends(ctx, trendsParams.parse(scope))).buckets).toEqual([]);
    expect((await queries.retention(ctx, retentionParams.parse(scope))).cohorts).toEqual([]);
    expect((await queries.dropoff(ctx, dropoffParams.parse(scope))).channels).toEqual([]);
    const asProject = await queries.funnel(
      { ...ctx, projectId: value },
      funnelParams.parse(november),
    );
    expect(people(asProject.total.steps)).toEqual([0, 0, 0, 0]);
    const rules = stageRulesSchema.parse({
      transaction: { events: [value] },
      engagement: { events: [value] },
      retention: { events: [value] },
    });
    const withRules = await queries.funnel({ ...ctx, rules }, funnelParams.parse(november));
    expect(people(withRules.total.steps)).toEqual([6, 1, 0, 0]);
    const attributed = await queries.attribution(
      { ...ctx, rules },
      attributionParams.parse(november),
    );
    expect(attributed.conversions).toBe(0);
    const converted = await queries.trends({ ...ctx, rules }, trendsParams.parse(november));
    expect(converted.series.find((s) => s.channel === '')?.conversions.every((n) => n === 0)).toBe(
      true,
    );
  });

  it('gives stored hostile strings back as data and matches them as values', async () => {
    const stored = hostile.map((value, i) =>
      eventRow({
        project_id: 'p_hostile',
        anonymous_id: `hostile${i}`,
        session_id: `hs${i}`,
        timestamp: `2026-11-20 10:00:${String(i).padStart(2, '0')}`,
        type: 'page',
        page_path: value,
        first_campaign: value,
        session_campaign: value,
        device_type: value,
      }),
    );
    await insertRows(client, database, stored);
    const hostileCtx = { ...ctx, projectId: 'p_hostile' };
    const dropoff = await queries.dropoff(
      hostileCtx,
      dropoffParams.parse({ ...november, limit: '100' }),
    );
    expect(dropoff.total.stopped.top.map((e) => e.name).sort()).toEqual([...hostile].sort());
    for (const value of hostile) {
      const scope = { ...november, campaign: value, device: value };
      const funnel = await queries.funnel(hostileCtx, funnelParams.parse(scope));
      expect(people(funnel.total.steps), JSON.stringify(value)).toEqual([1, 0, 0, 0]);
      const byCampaign = await queries.funnel(
        hostileCtx,
        funnelParams.parse({ ...scope, breakdown: 'campaign' }),
      );
      expect(byCampaign.groups.map((g) => g.key)).toEqual([value]);
    }
  });

  it('still has its tables afterwards', async () => {
    const result = await queries.funnel(ctx, funnelParams.parse(november));
    expect(people(result.total.steps)).toEqual([6, 4, 3, 1]);
  });

  it('refuses structural values outside their lists before any SQL is built', () => {
    expect(funnelParams.safeParse({ ...november, breakdown: 'device; DROP' }).success).toBe(false);
    expect(attributionParams.safeParse({ ...november, model: "linear'" }).success).toBe(false);
    expect(trendsParams.safeParse({ ...november, interval: 'hour' }).success).toBe(false);
    expect(funnelParams.safeParse({ ...november, channel: "paid'" }).success).toBe(false);
    expect(funnelParams.safeParse({ from: "2026-11-01' OR '1", to: '2026-11-30' }).success).toBe(
      false,
    );
    expect(funnelParams.safeParse({ ...november, window: '1; DROP' }).success).toBe(false);
  });
});
