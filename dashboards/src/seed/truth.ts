/**
 * What the demo journeys must produce, worked out from how they were generated (not from the
 * database): people per stage per first-touch channel, and each conversion credited under every
 * attribution model, with the definitions the README gives.
 */
import type { Model } from '../queries/attribution.js';
import { STAGES } from '../queries/stages.js';

export interface PersonJourney {
  id: string;
  firstChannel: string;
  /** 1 awareness … 4 retention, under the default stage rules. */
  level: number;
  /** Session starts (epoch ms) and their channels, on every device of the person. */
  sessions: { at: number; channel: string }[];
  conversions: { at: number; revenue: number }[];
}

export interface GroundTruth {
  /** The UTC days the journeys fall in, inclusive. */
  range: { from: string; to: string };
  /** People at each stage (awareness, engagement, transaction, retention). */
  stages: { total: number[]; byFirstChannel: Record<string, number[]> };
  conversions: number;
  revenue: number;
  /** Model → channel → credited conversions and revenue (30-day lookback, 7-day half-life). */
  attribution: Record<Model, Record<string, { conversions: number; revenue: number }>>;
}

export const TRUTH_LOOKBACK_DAYS = 30;
export const TRUTH_HALF_LIFE_DAYS = 7;

/** Credit weights per touch of one path (oldest first) under each model. */
export function modelWeights(
  path: { at: number; channel: string }[],
  convertedAt: number,
): Record<Model, number[]> {
  const n = path.length;
  let lastNonDirect = -1;
  path.forEach((t, i) => {
    if (t.channel !== 'direct') lastNonDirect = i;
  });
  if (lastNonDirect === -1) lastNonDirect = n - 1;
  // Ages in milliseconds, as the queries compute them.
  const decay = path.map((t) => 2 ** (-(convertedAt - t.at) / (TRUTH_HALF_LIFE_DAYS * 86_400_000)));
  const decaySum = decay.reduce((a, b) => a + b, 0);
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

export function groundTruth(journeys: PersonJourney[], range: GroundTruth['range']): GroundTruth {
  const stagesOf = (people: PersonJourney[]) =>
    STAGES.map((_, i) => people.filter((p) => p.level >= i + 1).length);
  const channels = [...new Set(journeys.map((j) => j.firstChannel))].sort();
  const attribution = {} as GroundTruth['attribution'];
  let conversions = 0;
  let revenue = 0;
  for (const journey of journeys) {
    const sessions = [...journey.sessions].sort((a, b) => a.at - b.at);
    for (const conversion of journey.conversions) {
      conversions += 1;
      revenue += conversion.revenue;
      const path = sessions.filter(
        (s) => s.at <= conversion.at && s.at + TRUTH_LOOKBACK_DAYS * 86_400_000 >= conversion.at,
      );
      const weights = modelWeights(path, conversion.at);
      for (const [model, w] of Object.entries(weights) as [Model, number[]][]) {
        const credits = attribution[model] ?? {};
        attribution[model] = credits;
        path.forEach((touch, i) => {
          const credit = credits[touch.channel] ?? { conversions: 0, revenue: 0 };
          credits[touch.channel] = credit;
          credit.conversions += w[i] ?? 0;
          credit.revenue += (w[i] ?? 0) * conversion.revenue;
        });
      }
    }
  }
  return {
    range,
    stages: {
      total: stagesOf(journeys),
      byFirstChannel: Object.fromEntries(
        channels.map((c) => [c, stagesOf(journeys.filter((j) => j.firstChannel === c))]),
      ),
    },
    conversions,
    revenue,
    attribution,
  };
}
