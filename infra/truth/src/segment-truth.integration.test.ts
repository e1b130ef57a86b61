/**
 * The ground-truth journey set through the whole pipeline, sent only with Segment's Node
 * library: @segment/analytics-node → collector → Kafka → processor → ClickHouse → dashboards
 * API, every service a child process. The funnel by first-touch channel, the six attribution
 * models (conversions and revenue to 1e-6) and the conversions per day must equal the truth
 * worked out from the generator's model. Then the same set again, in another order with 10 %
 * of it sent twice, into a database of its own: the answers must be identical to the first.
 *
 * Every event is stored at exactly the time it was sent with: the library's clock is the
 * collector's, so the clock-skew correction (collector/src/ingest/time.ts) leaves it alone — a
 * send's few milliseconds of latency are no skew. So the truth at the generated times is the
 * truth at the stored times, and a replay is identical to the first send, time decay and the
 * funnel's medians included.
 */
import { afterAll, expect, it } from 'vitest';
import {
  type AttributionAnswer,
  attributionMismatches,
  type FunnelAnswer,
  funnelMismatches,
  type TrendsAnswer,
  trendsMismatches,
} from './compare.js';
import { figures } from './figures.js';
import { generateJourneys } from './generate.js';
import { type SendOrder, sendOrder, sendWithSegment } from './send.js';
import { atStoredTimes } from './skew.js';
import { PROJECT, type Stack, startStack } from './stack.js';
import { computeTruth, DEFAULT_RULES, normalizeEventName, type Truth } from './truth.js';

const set = generateJourneys();
const asGenerated = computeTruth(set.people, { range: set.range });
const range = `from=${set.range.from}&to=${set.range.to}`;
const linkedDevices = new Set(
  set.calls.flatMap((c) => {
    const { anonymousId, userId } = c.params as { anonymousId?: string; userId?: string };
    return anonymousId && userId ? [anonymousId] : [];
  }),
).size;
const stacks: Stack[] = [];

interface Answers {
  funnel: FunnelAnswer;
  attribution: AttributionAnswer;
  trends: TrendsAnswer;
}
let first: Answers | undefined;

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
});

const mismatches = (truth: Truth, answers: Answers) => [
  ...funnelMismatches(truth, answers.funnel),
  ...attributionMismatches(truth, answers.attribution),
  ...trendsMismatches(truth, answers.trends),
];

interface StageRulesAnswer {
  stageRules: {
    awareness: { types: string[] };
    engagement: { events: string[]; minPageViewsPerSession: number };
    transaction: { events: string[] };
    retention: { afterDays: number; events: string[] };
  };
}

/**
 * Sends `order` into a fresh stack, waits until all of it is stored, asks the questions, and
 * works out the truth at the stored times.
 */
async function run(label: string, order: SendOrder) {
  const stack = await startStack(label);
  stacks.push(stack);
  const sent = await sendWithSegment(order.calls, {
    host: stack.collectorUrl,
    writeKey: PROJECT.writeKey,
    flushAt: 100,
  });
  console.log(
    `${label}: sent ${order.calls.length} calls (${order.duplicates} duplicates) in ${sent.statuses.length} requests, ${sent.ms} ms`,
  );
  expect(sent.errors).toEqual([]);
  expect(sent.statuses.filter((s) => s < 200 || s >= 300)).toEqual([]);
  expect(sent.statuses.length).toBeGreaterThanOrEqual(Math.ceil(order.calls.length / 100));
  await stack.loaded({ messages: set.calls.length, links: linkedDevices }, 180_000);

  // The truth assumes the default stage rules: the project must still have them.
  const { stageRules: rules } = await stack.api<StageRulesAnswer>('/api/v1/project');
  const keys = (names: string[]) => [...new Set(names.map(normalizeEventName))].sort();
  expect({
    awareness: [...rules.awareness.types].sort(),
    engagement: keys(rules.engagement.events),
    pages: rules.engagement.minPageViewsPerSession,
    transaction: keys(rules.transaction.events),
    retention: [rules.retention.afterDays, rules.retention.events],
  }).toEqual({
    awareness: [...DEFAULT_RULES.awarenessTypes].sort(),
    engagement: keys([...DEFAULT_RULES.engagementEvents]),
    pages: DEFAULT_RULES.minPageViewsPerSession,
    transaction: keys([...DEFAULT_RULES.transactionEvents]),
    retention: [DEFAULT_RULES.retentionAfterDays, []],
  });

  const ask = async (): Promise<Answers> => ({
    funnel: await stack.api<FunnelAnswer>(
      `/api/v1/funnel?${range}&breakdown=first_channel&window=${asGenerated.windowDays}`,
    ),
    attribution: await stack.api<AttributionAnswer>(
      `/api/v1/attribution?${range}&lookback=${asGenerated.lookbackDays}&halfLife=${asGenerated.halfLifeDays}`,
    ),
    trends: await stack.api<TrendsAnswer>(`/api/v1/trends?${range}&interval=day`),
  });
  // Asked just after loading (devices still changed: read from their events), and again once
  // the processor's summarizer has summarized every device (read from the summaries): the
  // same answers either way.
  const answers = await ask();
  await stack.summarized(120_000);
  expect(await ask()).toEqual(answers);
  const stored = atStoredTimes(set.people, await stack.storedTimes());
  console.log(`${label}: stored − sent time from ${stored.shifts.min} to ${stored.shifts.max} ms`);
  expect(stored.shifts.missing).toEqual([]);
  return {
    answers,
    truth: computeTruth(stored.people, { range: set.range }),
    shifts: stored.shifts,
  };
}

it('answers what the journeys imply, sent through @segment/analytics-node', {
  timeout: 420_000,
}, async () => {
  console.log(`truth set: ${JSON.stringify(figures(set))}`);
  const { answers, truth, shifts } = await run(
    'truth_first',
    sendOrder(set.calls, { seed: 1, duplicateShare: 0.03 }),
  );
  first = answers;
  await stacks[0]?.stop();
  expect(shifts).toMatchObject({ min: 0, max: 0 });
  expect(mismatches(truth, answers)).toEqual([]);
  expect(mismatches(asGenerated, answers)).toEqual([]);
});

it('answers identically after a replay in another order with 10 % duplicates', {
  timeout: 420_000,
}, async () => {
  // A database of its own: the replay must give the same answers from nothing but the
  // messages, whatever order they arrive in; sending it into the first database would add
  // copies to a store already built in one order and could not show an order dependence.
  const { answers, truth, shifts } = await run(
    'truth_replay',
    sendOrder(set.calls, { seed: 2, duplicateShare: 0.1 }),
  );
  if (!first) throw new Error('needs the answers of the first send');
  expect(shifts).toMatchObject({ min: 0, max: 0 });
  expect(answers).toEqual(first);
  expect(mismatches(truth, answers)).toEqual([]);
});
