import { describe, expect, it } from 'vitest';
import type { Channel, JourneyEvent, JourneyPerson, JourneySession } from './model.js';
import {
  computeTruth,
  firstChannelOf,
  modelWeights,
  normalizeEventName,
  revenueOf,
  stageLevel,
} from './truth.js';

// Hand-made journeys whose answers are worked out here by hand, so a wrong truth is caught
// without the pipeline.
const range = { from: '2026-11-01', to: '2026-11-30' };
const DAY = 86_400_000;
const MIN = 60_000;
const T0 = Date.parse('2026-11-03T10:00:00.100Z');
let ids = 0;

const page = (at: number): JourneyEvent => ({ messageId: `m${++ids}`, at, type: 'page' });
const track = (at: number, event: string, properties?: Record<string, unknown>): JourneyEvent => ({
  messageId: `m${++ids}`,
  at,
  type: 'track',
  event,
  ...(properties ? { properties } : {}),
});
const session = (channel: Channel | null, ...events: JourneyEvent[]): JourneySession => ({
  device: 'd1',
  channel,
  events,
});
const person = (...sessions: JourneySession[]): JourneyPerson => ({ id: 'p', sessions });

describe('stageLevel', () => {
  it('reaches engagement by the second page view of one session, not of two', () => {
    expect(stageLevel(person(session('organic', page(T0), page(T0 + MIN))))).toBe(2);
    expect(
      stageLevel(person(session('organic', page(T0)), session('email', page(T0 + 5 * MIN)))),
    ).toBe(1);
  });

  it('matches rule names case-insensitively with spaces, underscores and hyphens equal', () => {
    expect(normalizeEventName('Product Viewed')).toBe('product_viewed');
    expect(normalizeEventName('order-completed')).toBe('order_completed');
    expect(normalizeEventName('ORDER COMPLETED')).toBe('order_completed');
    const p = person(
      session(
        'direct',
        page(T0),
        track(T0 + MIN, 'product-viewed'),
        track(T0 + 2 * MIN, 'ORDER COMPLETED'),
      ),
    );
    expect(stageLevel(p)).toBe(3);
  });

  it('needs the first transaction no earlier than engagement, all within the window', () => {
    const early = person(
      session(
        'direct',
        page(T0),
        track(T0 + MIN, 'Order Completed'),
        track(T0 + 2 * MIN, 'Signed Up'),
      ),
      session('direct', page(T0 + DAY), track(T0 + DAY + MIN, 'Order Completed')),
    );
    expect(stageLevel(early)).toBe(2);
    const slow = person(
      session('paid', page(T0), page(T0 + MIN)),
      session('email', page(T0 + 31 * DAY), track(T0 + 31 * DAY + MIN, 'Purchase')),
    );
    expect(stageLevel(slow)).toBe(2);
    expect(stageLevel(slow, 35)).toBe(3);
  });

  it('counts a return for retention only on a later UTC day', () => {
    const bought = session(
      'direct',
      page(T0),
      page(T0 + MIN),
      track(T0 + 2 * MIN, 'Order Completed'),
    );
    expect(stageLevel(person(bought, session('direct', page(T0 + 3 * 3600_000))))).toBe(3);
    expect(stageLevel(person(bought, session('direct', page(T0 + DAY - 9 * 3600_000))))).toBe(4);
    // A userId-only track counts as an awareness-type event too.
    expect(stageLevel(person(bought, session(null, track(T0 + 2 * DAY, 'Order Completed'))))).toBe(
      4,
    );
  });

  it('does not make identify an awareness event', () => {
    expect(stageLevel(person(session(null, { messageId: 'i', at: T0, type: 'identify' })))).toBe(0);
  });
});

describe('firstChannelOf', () => {
  it('is the earliest touch on any device, direct without one', () => {
    const phone = { ...session('social', page(T0 - DAY)), device: 'd2' };
    expect(firstChannelOf(person(session('paid', page(T0)), phone))).toBe('social');
    expect(firstChannelOf(person(session(null, track(T0, 'Product Viewed'))))).toBe('direct');
    // A touch-less session that starts earlier is no touch.
    expect(
      firstChannelOf(person(session(null, track(T0 - DAY, 'x')), session('email', page(T0)))),
    ).toBe('email');
  });
});

describe('revenueOf', () => {
  it('takes revenue, else total, else value', () => {
    expect(revenueOf({ revenue: 10, total: 12 })).toBe(10);
    expect(revenueOf({ total: 12, value: 3 })).toBe(12);
    expect(revenueOf({ value: 3 })).toBe(3);
    expect(revenueOf({})).toBe(0);
  });
});

describe('modelWeights', () => {
  const path = [
    { at: T0, channel: 'paid' as const },
    { at: T0 + 3 * DAY, channel: 'email' as const },
    { at: T0 + 6 * DAY, channel: 'direct' as const },
  ];
  const at = T0 + 7 * DAY;

  it('credits each model as defined', () => {
    const w = modelWeights(path, at, 7);
    expect(w.first_touch).toEqual([1, 0, 0]);
    expect(w.last_touch).toEqual([0, 0, 1]);
    expect(w.last_non_direct).toEqual([0, 1, 0]);
    expect(w.linear).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(w.position_based).toEqual([0.4, 0.2, 0.4]);
    // Ages 7, 4 and 1 days at a 7-day half-life: 1/2, 2^(-4/7), 2^(-1/7).
    const raw = [0.5, 2 ** (-4 / 7), 2 ** (-1 / 7)];
    const sum = raw.reduce((a, b) => a + b);
    for (const [i, x] of w.time_decay.entries()) expect(x).toBeCloseTo(raw[i]! / sum, 12);
  });

  it('splits two touches half and half, gives one touch everything', () => {
    expect(modelWeights(path.slice(0, 2), at, 7).position_based).toEqual([0.5, 0.5]);
    expect(modelWeights(path.slice(0, 1), at, 7).position_based).toEqual([1]);
    const allDirect = [
      { at: T0, channel: 'direct' as const },
      { at: T0 + DAY, channel: 'direct' as const },
    ];
    expect(modelWeights(allDirect, at, 7).last_non_direct).toEqual([0, 1]);
  });
});

describe('computeTruth', () => {
  it('adds up a small set by hand', () => {
    // Alice: paid day 0, email day 3 (converts 100 in it), direct day 6 (converts 50 by total).
    const alice: JourneyPerson = {
      id: 'alice',
      sessions: [
        session('paid', page(T0), page(T0 + MIN)),
        session(
          'email',
          page(T0 + 3 * DAY),
          track(T0 + 3 * DAY + MIN, 'Order Completed', { revenue: 100 }),
        ),
        session('direct', page(T0 + 6 * DAY)),
        {
          device: 'user:alice',
          channel: null,
          events: [track(T0 + 6 * DAY + MIN, 'order_completed', { total: 50 })],
        },
      ],
    };
    // Bob: only a touch 35 days before his purchase (outside the lookback), bought server-side.
    const bob: JourneyPerson = {
      id: 'bob',
      sessions: [
        session('organic', page(T0 - 2 * DAY)),
        {
          device: 'user:bob',
          channel: null,
          events: [track(T0 + 33 * DAY, 'Order Completed', { revenue: 70 })],
        },
      ],
    };
    const truth = computeTruth([alice, bob], { range: { from: '2026-10-15', to: '2026-12-10' } });
    expect(truth.funnel.total).toEqual([2, 1, 1, 1]);
    expect(truth.funnel.byFirstChannel).toEqual({ organic: [1, 0, 0, 0], paid: [1, 1, 1, 1] });
    expect(truth.conversions).toEqual({ all: 3, allRevenue: 220, attributed: 2, revenue: 150 });
    expect(truth.conversionsByDay).toEqual({ '2026-11-06': 1, '2026-11-09': 1, '2026-12-06': 1 });
    // Alice's server-side order falls on the day of her direct visit: two sessions, one person.
    expect(truth.activityByDay).toEqual({
      '2026-11-01': { sessions: 1, people: 1 },
      '2026-11-03': { sessions: 1, people: 1 },
      '2026-11-06': { sessions: 1, people: 1 },
      '2026-11-09': { sessions: 2, people: 1 },
      '2026-12-06': { sessions: 1, people: 1 },
    });
    const a = truth.attribution;
    expect(a.first_touch).toEqual({
      paid: { conversions: 2, revenue: 150 },
      email: { conversions: 0, revenue: 0 },
      direct: { conversions: 0, revenue: 0 },
    });
    expect(a.last_touch.email).toEqual({ conversions: 1, revenue: 100 });
    expect(a.last_touch.direct).toEqual({ conversions: 1, revenue: 50 });
    expect(a.last_non_direct.email).toEqual({ conversions: 2, revenue: 150 });
    expect(a.linear.paid!.conversions).toBeCloseTo(0.5 + 1 / 3, 12);
    expect(a.linear.paid!.revenue).toBeCloseTo(50 + 50 / 3, 12);
    expect(a.position_based.email).toEqual({ conversions: 0.5 + 0.2, revenue: 50 + 10 });
    expect(a.time_decay.organic).toBeUndefined();
    const decay = (days: number) => 2 ** (-days / 7);
    const first = decay(3 + 1 / 1440) / (decay(3 + 1 / 1440) + decay(1 / 1440));
    expect(a.time_decay.paid!.conversions).toBeCloseTo(
      first + decay(6 + 1 / 1440) / (decay(6 + 1 / 1440) + decay(3 + 1 / 1440) + decay(1 / 1440)),
      12,
    );
  });

  it('drops events outside the range', () => {
    const late = person(session('paid', page(Date.parse('2026-12-02T10:00:00Z'))));
    expect(computeTruth([late], { range }).funnel.total).toEqual([0, 0, 0, 0]);
  });
});
