import { eventually, testClickHouse } from '@waymark/test-harness';
import { afterAll, expect, it } from 'vitest';
import {
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
const setup = processorSetup('crash');
const kafka = kafkaClient();
const clickhouse = testClickHouse();
const plan = planLoad(30_000, 'crash');
const KILLS = 3;
const running: ProcessorChild[] = [];

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await clickhouse.close();
});

// Small batches, so that a kill lands between an insert and its commit as often as not.
const env = { PROCESSOR_BATCH_ROWS: '1000', PROCESSOR_BATCH_MS: '100' };

it('loses nothing and counts nothing twice across repeated kill -9 during a load', async () => {
  const half = Math.floor(plan.messages.length / 2);
  await produce(kafka, setup.topic, plan.messages.slice(0, half));
  // The rest arrives while the processor is being killed and restarted.
  const producing = produce(kafka, setup.topic, plan.messages.slice(half));

  const seenAtKill: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const processor = await startProcessorChild(setup, env);
    running.push(processor);
    const before = await distinctSoFar(clickhouse, setup.database);
    await eventually(
      async () =>
        (await distinctSoFar(clickhouse, setup.database)) >= before + 2000 ? true : undefined,
      { timeoutMs: 30_000, intervalMs: 100, what: `progress after restart ${kill}` },
    );
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 200));
    await processor.stop('SIGKILL');
    seenAtKill.push(await distinctSoFar(clickhouse, setup.database));
  }
  await producing;
  // Every kill happened while events were still being loaded.
  expect(Math.max(...seenAtKill)).toBeLessThan(plan.distinct);

  const last = await startProcessorChild(setup, env);
  running.push(last);
  await waitForDistinct(clickhouse, setup.database, plan.distinct);
  const counts = await visibleCounts(clickhouse, setup.database);
  console.log(
    `distinct seen at each kill: ${seenAtKill.join(', ')}; final: ${JSON.stringify(counts)} (planned rows incl. duplicates: ${plan.messages.length - plan.poison.length})`,
  );
  expect(counts.distinct).toBe(plan.distinct);
  expect(counts.deduped).toBe(plan.distinct);
  expect(counts.revenue).toBeCloseTo(plan.revenue, 6);
}, 90_000);
