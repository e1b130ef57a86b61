/**
 * The ground-truth journey set through the whole pipeline, sent only with Segment's Node
 * library: @segment/analytics-node → collector → Kafka → processor → ClickHouse → dashboards
 * API, every service a child process. The funnel by first-touch channel and the six attribution
 * models must equal the truth worked out from the generator's model (conversions and revenue to
 * 1e-6). Then the same set again, in another order with 10 % of it sent twice, into a database
 * of its own: the answers must be identical to the first.
 */
import { afterAll, expect, it } from 'vitest';
import {
  type AttributionAnswer,
  attributionMismatches,
  conversionMismatches,
  type FunnelAnswer,
  funnelMismatches,
  type TrendsAnswer,
} from './compare.js';
import { figures } from './figures.js';
import { generateJourneys } from './generate.js';
import { type SendOrder, sendOrder, sendWithSegment } from './send.js';
import { PROJECT, type Stack, startStack } from './stack.js';
import { computeTruth } from './truth.js';

const set = generateJourneys();
const truth = computeTruth(set.people, { range: set.range });
const range = `from=${set.range.from}&to=${set.range.to}`;
const linkedDevices = new Set(
  set.calls.flatMap((c) => {
    const { anonymousId, userId } = c.params as { anonymousId?: string; userId?: string };
    return anonymousId && userId ? [anonymousId] : [];
  }),
).size;
const stacks: Stack[] = [];
let first: Answers | undefined;

interface Answers {
  funnel: FunnelAnswer;
  attribution: AttributionAnswer;
  trends: TrendsAnswer;
}

const mismatches = (answers: Answers) => [
  ...funnelMismatches(truth, answers.funnel),
  ...attributionMismatches(truth, answers.attribution),
  ...conversionMismatches(truth, answers.trends),
];

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
});

/** Sends `order` into a fresh stack, waits until all of it is stored, asks both questions. */
async function run(label: string, order: SendOrder): Promise<Answers> {
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
  const funnel = await stack.api<FunnelAnswer>(
    `/api/v1/funnel?${range}&breakdown=first_channel&window=${truth.windowDays}`,
  );
  const attribution = await stack.api<AttributionAnswer>(
    `/api/v1/attribution?${range}&lookback=${truth.lookbackDays}&halfLife=${truth.halfLifeDays}`,
  );
  const trends = await stack.api<TrendsAnswer>(`/api/v1/trends?${range}&interval=day`);
  return { funnel, attribution, trends };
}

it('answers what the journeys imply, sent through @segment/analytics-node', {
  timeout: 420_000,
}, async () => {
  console.log(`truth set: ${JSON.stringify(figures(set))}`);
  const answers = await run('truth_first', sendOrder(set.calls, { seed: 1, duplicateShare: 0.03 }));
  first = answers;
  await stacks[0]?.stop();
  expect(mismatches(answers)).toEqual([]);
});

it('answers identically after a replay in another order with 10 % duplicates', {
  timeout: 420_000,
}, async () => {
  // A database of its own: the replay must give the same answers from nothing but the
  // messages, whatever order they arrive in; sending it into the first database would add
  // copies to a store already built in one order and could not show an order dependence.
  const answers = await run('truth_replay', sendOrder(set.calls, { seed: 2, duplicateShare: 0.1 }));
  expect(answers).toEqual(first);
  expect(mismatches(answers)).toEqual([]);
});
