/**
 * The dashboards API's answers (the shapes of dashboards/src/queries/funnel.ts and
 * attribution.ts, as served by /api/v1/funnel and /api/v1/attribution) against the truth, as a
 * list of every difference — empty when they agree — so one failing run shows all of them.
 */
import { CHANNELS, type Channel } from './model.js';
import { MODELS, STAGES, type Truth } from './truth.js';

export interface FunnelAnswer {
  breakdown: string;
  windowDays: number;
  total: { key: string; steps: { stage: string; people: number }[] };
  groups: { key: string; steps: { stage: string; people: number }[] }[];
}

export interface AttributionAnswer {
  models: string[];
  lookbackDays: number;
  halfLifeDays: number;
  conversions: number;
  revenue: number;
  channels: {
    channel: string;
    models: Record<string, { conversions: number; revenue: number } | undefined>;
  }[];
}

export interface TrendsAnswer {
  interval: string;
  buckets: string[];
  series: { channel: string; people: number[]; sessions: number[]; conversions: number[] }[];
}

/** Credits agree to this (the API rounds to 1e-9). */
export const TOLERANCE = 1e-6;

const peopleOf = (steps: FunnelAnswer['total']['steps']) =>
  STAGES.map((stage) => steps.find((s) => s.stage === stage)?.people ?? 0);

export function funnelMismatches(truth: Truth, answer: FunnelAnswer): string[] {
  const out: string[] = [];
  const compare = (what: string, expected: readonly number[], got: readonly number[]) => {
    STAGES.forEach((stage, i) => {
      if (expected[i] !== got[i]) {
        out.push(`funnel ${what} ${stage}: expected ${expected[i]}, got ${got[i]}`);
      }
    });
  };
  compare('total', truth.funnel.total, peopleOf(answer.total.steps));
  const groups = new Map(answer.groups.map((g) => [g.key, peopleOf(g.steps)]));
  const keys = [...new Set([...Object.keys(truth.funnel.byFirstChannel), ...groups.keys()])];
  for (const key of keys) {
    compare(
      `first_channel=${key}`,
      truth.funnel.byFirstChannel[key as Channel] ?? [0, 0, 0, 0],
      groups.get(key) ?? [0, 0, 0, 0],
    );
  }
  return out;
}

export function attributionMismatches(truth: Truth, answer: AttributionAnswer): string[] {
  const out: string[] = [];
  const near = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE;
  if (answer.conversions !== truth.conversions.attributed) {
    out.push(
      `attribution conversions: expected ${truth.conversions.attributed}, got ${answer.conversions}`,
    );
  }
  if (!near(answer.revenue, truth.conversions.revenue)) {
    out.push(`attribution revenue: expected ${truth.conversions.revenue}, got ${answer.revenue}`);
  }
  const channels = [...new Set<string>([...CHANNELS, ...answer.channels.map((c) => c.channel)])];
  for (const model of MODELS) {
    for (const channel of channels) {
      const expected = truth.attribution[model][channel as Channel] ?? {
        conversions: 0,
        revenue: 0,
      };
      const got = answer.channels.find((c) => c.channel === channel)?.models[model] ?? {
        conversions: 0,
        revenue: 0,
      };
      for (const field of ['conversions', 'revenue'] as const) {
        if (!near(expected[field], got[field])) {
          out.push(
            `attribution ${model} ${channel} ${field}: expected ${expected[field]}, got ${got[field]} (diff ${got[field] - expected[field]})`,
          );
        }
      }
    }
  }
  return out;
}

/**
 * The all-channels series of daily trends: conversions per day and in total (the one answer
 * that counts conversions without a touch), and the sessions and people active each day.
 */
export function trendsMismatches(truth: Truth, answer: TrendsAnswer): string[] {
  const out: string[] = [];
  const all = answer.series.find((s) => s.channel === '');
  for (const [day, expected] of Object.entries(truth.activityByDay)) {
    const i = answer.buckets.indexOf(day);
    const got = { sessions: all?.sessions[i] ?? 0, people: all?.people[i] ?? 0 };
    for (const field of ['sessions', 'people'] as const) {
      if (got[field] !== expected[field]) {
        out.push(`${field} on ${day}: expected ${expected[field]}, got ${got[field]}`);
      }
    }
  }
  for (const day of answer.buckets.filter((b) => !truth.activityByDay[b])) {
    out.push(`activity on ${day}: expected none, got some`);
  }
  const got = Object.fromEntries(answer.buckets.map((b, i) => [b, all?.conversions[i] ?? 0]));
  const total = Object.values(got).reduce((s, n) => s + n, 0);
  if (total !== truth.conversions.all) {
    out.push(`conversions in range: expected ${truth.conversions.all}, got ${total}`);
  }
  for (const day of new Set([...Object.keys(truth.conversionsByDay), ...Object.keys(got)])) {
    const expected = truth.conversionsByDay[day] ?? 0;
    if ((got[day] ?? 0) !== expected) {
      out.push(`conversions on ${day}: expected ${expected}, got ${got[day] ?? 0}`);
    }
  }
  return out;
}
