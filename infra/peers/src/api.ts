/** The dashboards API as an analyst asks it: `GET /api/v1/<question>` with the read key. */
import { expect } from 'vitest';
import { settled } from './journey.js';
import type { PeerPipeline } from './pipeline.js';

export interface FunnelAnswer {
  total: { steps: { stage: string; people: number }[] };
  groups: { key: string; steps: { stage: string; people: number }[] }[];
}

export interface AttributionAnswer {
  conversions: number;
  revenue: number;
  channels: {
    channel: string;
    models: Record<string, { conversions: number; revenue: number }>;
  }[];
}

/** Yesterday to tomorrow (UTC days): the journeys happen now. */
export function todayRange(now = Date.now()): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `from=${day(now - 86_400_000)}&to=${day(now + 86_400_000)}`;
}

export async function ask<T>(pipeline: PeerPipeline, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${pipeline.dashboardsUrl}/api/v1/${pathAndQuery}`, {
    headers: { authorization: `Bearer ${pipeline.readKey}` },
  });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`GET /api/v1/${pathAndQuery} answered ${response.status}: ${body}`);
  }
  return JSON.parse(body) as T;
}

/** People per stage (awareness, engagement, transaction, retention), in total and per first channel. */
export async function funnelPeople(
  pipeline: PeerPipeline,
): Promise<{ total: number[]; byFirstChannel: Record<string, number[]> }> {
  const answer = await ask<FunnelAnswer>(
    pipeline,
    `funnel?${todayRange()}&breakdown=first_channel`,
  );
  return {
    total: answer.total.steps.map((s) => s.people),
    byFirstChannel: Object.fromEntries(
      answer.groups.map((g) => [g.key, g.steps.map((s) => s.people)]),
    ),
  };
}

/** Conversions and revenue credited per channel under the given models. */
export async function attributionCredits(
  pipeline: PeerPipeline,
  models: readonly string[],
): Promise<{
  conversions: number;
  revenue: number;
  credit: Record<string, Record<string, { conversions: number; revenue: number }>>;
}> {
  const answer = await ask<AttributionAnswer>(
    pipeline,
    `attribution?${todayRange()}&model=${models.join(',')}`,
  );
  const credit: Record<string, Record<string, { conversions: number; revenue: number }>> = {};
  for (const model of models) {
    credit[model] = {};
    for (const c of answer.channels) {
      const m = c.models[model];
      if (m && m.conversions > 0) credit[model][c.channel] = m;
    }
  }
  return { conversions: answer.conversions, revenue: answer.revenue, credit };
}

export interface Counted {
  /** People per stage in total and per first channel, as `funnelPeople` gives them. */
  funnel: { total: number[]; byFirstChannel: Record<string, number[]> };
  /** The one order: the channel every model in `models` credits it to, and its revenue. */
  channel: string;
  revenue: number;
  models: readonly string[];
}

/**
 * "Counted": the API's funnel people per stage, and the one order credited whole to `channel`
 * under each model — each read until it settles (the processor may still be loading).
 */
export async function expectCounted(pipeline: PeerPipeline, expected: Counted): Promise<void> {
  expect
    .soft(await settled(() => funnelPeople(pipeline), expected.funnel))
    .toEqual(expected.funnel);
  const credit = { [expected.channel]: { conversions: 1, revenue: expected.revenue } };
  const attribution = {
    conversions: 1,
    revenue: expected.revenue,
    credit: Object.fromEntries(expected.models.map((m) => [m, credit])),
  };
  expect(await settled(() => attributionCredits(pipeline, expected.models), attribution)).toEqual(
    attribution,
  );
}
