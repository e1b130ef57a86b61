/**
 * What the dashboards must answer for a journey set, worked out from the generator's model (its
 * people, sessions with their channels, events) by the rules of the journey semantics
 * (notes/semantics.md, issue 14) — not by re-implementing the queries' SQL:
 * - the funnel under the default stage rules, per first-touch channel;
 * - every transaction-rule event as a conversion, credited under the six attribution models.
 */
import { CHANNELS, type Channel, type JourneyEvent, type JourneyPerson } from './model.js';

export const STAGES = ['awareness', 'engagement', 'transaction', 'retention'] as const;

export const MODELS = [
  'first_touch',
  'last_touch',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
] as const;
export type Model = (typeof MODELS)[number];

/**
 * The default stage rules, as the project serves them (`GET /api/v1/project`; the pipeline test
 * checks that they are still these): engagement by Segment's e-commerce events up to the
 * checkout, its B2B SaaS sign-up and trial events and Waymark's own, or a 2nd page view in one
 * session; transaction by `Order Completed`, `Purchase`, `Subscription Started`; retention on a
 * later UTC day. Event names are written as the spec writes them and compared normalised.
 */
export const DEFAULT_RULES = {
  awarenessTypes: ['page', 'screen', 'track'],
  engagementEvents: [
    'Products Searched',
    'Product List Viewed',
    'Product List Filtered',
    'Promotion Clicked',
    'Product Clicked',
    'Product Viewed',
    'Product Added',
    'Product Added to Wishlist',
    'Product Shared',
    'Product Reviewed',
    'Cart Viewed',
    'Cart Shared',
    'Coupon Entered',
    'Checkout Started',
    'Checkout Step Viewed',
    'Checkout Step Completed',
    'Payment Info Entered',
    'Signed Up',
    'Account Created',
    'Trial Started',
    'Invite Sent',
    'Lead Submitted',
    'Content Viewed',
  ].map((name) => normalizeEventName(name)),
  minPageViewsPerSession: 2,
  transactionEvents: ['Order Completed', 'Purchase', 'Subscription Started'].map((name) =>
    normalizeEventName(name),
  ),
  retentionAfterDays: 1,
} as const;

export interface TruthOptions {
  /** The query range, UTC days, inclusive. */
  range: { from: string; to: string };
  windowDays?: number;
  lookbackDays?: number;
  halfLifeDays?: number;
}

export interface Credit {
  conversions: number;
  revenue: number;
}

export interface Truth {
  range: { from: string; to: string };
  windowDays: number;
  lookbackDays: number;
  halfLifeDays: number;
  /** People at each stage (awareness, engagement, transaction, retention). */
  funnel: { total: number[]; byFirstChannel: Partial<Record<Channel, number[]>> };
  /** Every transaction-rule event in range, and those with at least one touch (attributed). */
  conversions: { all: number; allRevenue: number; attributed: number; revenue: number };
  /** Every conversion by its UTC day (YYYY-MM-DD). */
  conversionsByDay: Record<string, number>;
  /** Per UTC day: the sessions (of every device, with a touch or not) and people with an event. */
  activityByDay: Record<string, { sessions: number; people: number }>;
  /** Model → channel → credit; only channels that received some. */
  attribution: Record<Model, Partial<Record<Channel, Credit>>>;
}

const DAY_MS = 86_400_000;

/** Names match case-insensitively with spaces, underscores and hyphens equal. */
export function normalizeEventName(name: string): string {
  return name.toLowerCase().replace(/[ _-]/g, '_');
}

/** Segment's e-commerce amount: `revenue`, else `total`, else `value`; 0 when none is a number. */
export function revenueOf(properties: Record<string, unknown> = {}): number {
  for (const key of ['revenue', 'total', 'value']) {
    const value = properties[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return 0;
}

const isTrack = (e: JourneyEvent, names: readonly string[]) =>
  e.type === 'track' && e.event !== undefined && names.includes(normalizeEventName(e.event));

const byTime = (a: JourneyEvent, b: JourneyEvent) =>
  a.at - b.at || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

const minOf = (times: number[]): number | undefined =>
  times.length === 0 ? undefined : Math.min(...times);

const utcDay = (ms: number) => Math.floor(ms / DAY_MS);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Touch {
  at: number;
  channel: Channel;
}

/** A person's session touches (touch-bearing sessions, every device) in time order. */
export function touchesOf(person: JourneyPerson): Touch[] {
  return person.sessions
    .flatMap((s) => {
      const first = s.events[0];
      return s.channel !== null && first ? [{ at: first.at, channel: s.channel }] : [];
    })
    .sort((a, b) => a.at - b.at);
}

/** The first-touch channel: the earliest touch's, `direct` without any. */
export function firstChannelOf(person: JourneyPerson): Channel {
  return touchesOf(person)[0]?.channel ?? 'direct';
}

/** 1 awareness … 4 retention, 0 when not aware, under the default rules and window. */
export function stageLevel(person: JourneyPerson, windowDays = 30): number {
  const rules = DEFAULT_RULES;
  const window = windowDays * DAY_MS;
  const events = person.sessions.flatMap((s) => s.events);
  const aware = events.filter((e) => (rules.awarenessTypes as readonly string[]).includes(e.type));
  const a = minOf(aware.map((e) => e.at));
  if (a === undefined) return 0;
  const nthPageViews = person.sessions.flatMap((s) => {
    const pages = s.events.filter((e) => e.type === 'page').sort(byTime);
    const nth = pages[rules.minPageViewsPerSession - 1];
    return nth ? [nth.at] : [];
  });
  const e = minOf([
    ...events.filter((x) => isTrack(x, rules.engagementEvents)).map((x) => x.at),
    ...nthPageViews,
  ]);
  if (e === undefined || e < a || e - a > window) return 1;
  const t = minOf(events.filter((x) => isTrack(x, rules.transactionEvents)).map((x) => x.at));
  if (t === undefined || t < e || t - a > window) return 2;
  const r = minOf(
    aware.filter((x) => utcDay(x.at) >= utcDay(t) + rules.retentionAfterDays).map((x) => x.at),
  );
  if (r === undefined || r - a > window) return 3;
  return 4;
}

/** Credit weights per touch of one path (oldest first) under each model. */
export function modelWeights(
  path: readonly Touch[],
  convertedAt: number,
  halfLifeDays: number,
): Record<Model, number[]> {
  const n = path.length;
  let lastNonDirect = n - 1;
  for (let i = n - 1; i >= 0; i--) {
    if (path[i]!.channel !== 'direct') {
      lastNonDirect = i;
      break;
    }
  }
  const decay = path.map((t) => 2 ** (-(convertedAt - t.at) / (halfLifeDays * DAY_MS)));
  const decaySum = decay.reduce((s, d) => s + d, 0);
  return {
    first_touch: path.map((_, i) => (i === 0 ? 1 : 0)),
    last_touch: path.map((_, i) => (i === n - 1 ? 1 : 0)),
    last_non_direct: path.map((_, i) => (i === lastNonDirect ? 1 : 0)),
    linear: path.map(() => 1 / n),
    time_decay: decay.map((d) => d / decaySum),
    position_based: path.map((_, i) =>
      n === 1 ? 1 : n === 2 ? 0.5 : i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2),
    ),
  };
}

/**
 * The truth for people whose events all lie in `range` (the generator keeps them days away from
 * its ends; events outside it are dropped here, but touches are not clipped to it).
 */
export function computeTruth(people: readonly JourneyPerson[], options: TruthOptions): Truth {
  const windowDays = options.windowDays ?? 30;
  const lookbackDays = options.lookbackDays ?? 30;
  const halfLifeDays = options.halfLifeDays ?? 7;
  const start = Date.parse(`${options.range.from}T00:00:00Z`);
  const end = Date.parse(`${options.range.to}T00:00:00Z`) + DAY_MS;
  const inRange = (e: JourneyEvent) => e.at >= start && e.at < end;
  const clipped = people.map((p) => ({
    ...p,
    sessions: p.sessions.map((s) => ({ ...s, events: s.events.filter(inRange) })),
  }));

  const total = [0, 0, 0, 0];
  const byFirstChannel: Truth['funnel']['byFirstChannel'] = {};
  const attribution = Object.fromEntries(MODELS.map((m) => [m, {}])) as Truth['attribution'];
  const conversions = { all: 0, allRevenue: 0, attributed: 0, revenue: 0 };
  const conversionsByDay: Record<string, number> = {};
  const activity = new Map<string, { sessions: number; people: number }>();

  for (const person of clipped) {
    const level = stageLevel(person, windowDays);
    if (level > 0) {
      const channel = firstChannelOf(person);
      const counts = byFirstChannel[channel] ?? [0, 0, 0, 0];
      byFirstChannel[channel] = counts;
      for (let i = 0; i < level; i++) {
        total[i]! += 1;
        counts[i]! += 1;
      }
    }

    const days = new Set<string>();
    for (const session of person.sessions) {
      for (const day of new Set(session.events.map((e) => dayOf(e.at)))) {
        const counts = activity.get(day) ?? { sessions: 0, people: 0 };
        activity.set(day, counts);
        counts.sessions += 1;
        if (!days.has(day)) counts.people += 1;
        days.add(day);
      }
    }

    const touches = touchesOf(person);
    const seen = new Set<string>();
    const converted = person.sessions
      .flatMap((s) => s.events)
      .filter((e) => isTrack(e, DEFAULT_RULES.transactionEvents))
      .filter((e) => !seen.has(e.messageId) && seen.add(e.messageId));
    for (const conversion of converted) {
      const revenue = revenueOf(conversion.properties);
      conversions.all += 1;
      conversions.allRevenue += revenue;
      const day = dayOf(conversion.at);
      conversionsByDay[day] = (conversionsByDay[day] ?? 0) + 1;
      const path = touches.filter(
        (t) => t.at <= conversion.at && t.at >= conversion.at - lookbackDays * DAY_MS,
      );
      if (path.length === 0) continue;
      conversions.attributed += 1;
      conversions.revenue += revenue;
      const weights = modelWeights(path, conversion.at, halfLifeDays);
      for (const model of MODELS) {
        const credits = attribution[model];
        path.forEach((touch, i) => {
          const w = weights[model][i] ?? 0;
          const credit = credits[touch.channel] ?? { conversions: 0, revenue: 0 };
          credits[touch.channel] = credit;
          credit.conversions += w;
          credit.revenue += w * revenue;
        });
      }
    }
  }
  const ordered = Object.fromEntries(
    CHANNELS.filter((c) => byFirstChannel[c]).map((c) => [c, byFirstChannel[c]]),
  );
  return {
    range: options.range,
    windowDays,
    lookbackDays,
    halfLifeDays,
    funnel: { total, byFirstChannel: ordered },
    conversions,
    conversionsByDay: Object.fromEntries(
      Object.entries(conversionsByDay).sort(([a], [b]) => a.localeCompare(b)),
    ),
    activityByDay: Object.fromEntries([...activity].sort(([a], [b]) => a.localeCompare(b))),
    attribution,
  };
}
