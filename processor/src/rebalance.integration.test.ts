import { eventually, testClickHouse } from '@waymark/test-harness';
import { afterAll, expect, it } from 'vitest';
import {
  committedVsEnd,
  distinctSoFar,
  kafkaClient,
  type ProcessorChild,
  planLoad,
  processorSetup,
  produce,
  startProcessorChild,
  visibleCounts,
  waitForDistinct,
} from './test/harness.js';

// Needs processor/dist (npx turbo run build --filter=@waymark/processor...).
const setup = processorSetup('rebalance');
const kafka = kafkaClient();
const clickhouse = testClickHouse();
const plan = planLoad(30_000, 'rebalance');
const running: ProcessorChild[] = [];

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await clickhouse.close();
});

async function eventRowsInserted(processor: ProcessorChild): Promise<number> {
  const text = await (await fetch(`${processor.url}/metrics`)).text();
  return Number(
    text.match(/waymark_processor_rows_inserted_total\{table="events"\} (\d+)/)?.[1] ?? 0,
  );
}

async function bothMembers(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(
      async () => {
        const { groups } = await admin.describeGroups([setup.group]);
        const group = groups[0];
        return group?.state === 'Stable' && group.members.length === 2 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'both instances to be members of the group' },
    );
  } finally {
    await admin.disconnect();
  }
}

async function progress(atLeast: number, what: string): Promise<void> {
  await eventually(
    async () => ((await distinctSoFar(clickhouse, setup.database)) >= atLeast ? true : undefined),
    { timeoutMs: 30_000, intervalMs: 100, what },
  );
}

const env = { PROCESSOR_BATCH_ROWS: '1000' };

it('two instances in one group share the load through rebalances with exact counts', async () => {
  const third = Math.floor(plan.messages.length / 3);
  await produce(kafka, setup.topic, plan.messages.slice(0, third));
  const first = await startProcessorChild(setup, env);
  running.push(first);
  await progress(2000, 'the first instance to load');

  // A second member joins mid-load: the group rebalances and the partitions are split. The next
  // third is produced once both are members, so the second has a share to load however fast the
  // first instance is at catching up.
  const second = await startProcessorChild(setup, env);
  running.push(second);
  await bothMembers();
  await produce(kafka, setup.topic, plan.messages.slice(third, 2 * third));
  await eventually(async () => ((await eventRowsInserted(second)) > 0 ? true : undefined), {
    timeoutMs: 30_000,
    what: 'the second instance to load its share',
  });
  const firstShare = await eventRowsInserted(first);
  expect(firstShare).toBeGreaterThan(0);

  // The first leaves mid-load (graceful): another rebalance hands everything to the second.
  const remaining = produce(kafka, setup.topic, plan.messages.slice(2 * third));
  expect(await first.stop('SIGTERM')).toBe(0);
  await remaining;

  await waitForDistinct(clickhouse, setup.database, plan.distinct);
  const counts = await visibleCounts(clickhouse, setup.database);
  console.log(
    `rows inserted: first ${firstShare}, second ${await eventRowsInserted(second)}; ${JSON.stringify(counts)}`,
  );
  expect(counts.distinct).toBe(plan.distinct);
  expect(counts.deduped).toBe(plan.distinct);
  expect(counts.revenue).toBeCloseTo(plan.revenue, 6);
  await eventually(
    async () => {
      const offsets = await committedVsEnd(kafka, setup.topic, setup.group);
      return offsets.every((o) => o.committed === o.end) ? true : undefined;
    },
    { what: 'every offset committed' },
  );
}, 90_000);
