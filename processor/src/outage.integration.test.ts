import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { eventually, freePort } from '@waymark/test-harness';
import {
  clickhouseUrl,
  loadStackConfig,
  type StackConfig,
  startClickHouse,
  stopClickHouse,
} from '@waymark/test-harness/stack';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

// A private ClickHouse that this test may stop: the shared one on 8123 serves other tests.
// Needs processor/dist (npx turbo run build --filter=@waymark/processor...).
const stateDir = mkdtempSync(join(tmpdir(), 'waymark-outage-'));
let stack: StackConfig;
const kafka = kafkaClient();
const plan = planLoad(20_000, 'outage');
const running: ProcessorChild[] = [];

beforeAll(async () => {
  stack = loadStackConfig({
    CLICKHOUSE_HTTP_PORT: String(await freePort()),
    CLICKHOUSE_TCP_PORT: String(await freePort()),
    WAYMARK_STATE_DIR: stateDir,
  });
  await startClickHouse(stack);
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await stopClickHouse(stack);
  rmSync(stateDir, { recursive: true, force: true });
});

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(text.match(pattern)?.[1] ?? 0);
}

it('holds loading through a ClickHouse outage and resumes by itself, losing nothing', async () => {
  const setup = processorSetup('outage', clickhouseUrl(stack));
  const clickhouse = createClient({
    url: setup.clickhouseUrl,
    log: { level: ClickHouseLogLevel.OFF },
  });
  try {
    const half = Math.floor(plan.messages.length / 2);
    await produce(kafka, setup.topic, plan.messages.slice(0, half));
    const processor = await startProcessorChild(setup, { PROCESSOR_BATCH_ROWS: '1000' });
    running.push(processor);
    const url = processor.url;
    await eventually(
      async () => ((await distinctSoFar(clickhouse, setup.database)) > 0 ? true : undefined),
      {
        what: 'loading to start',
      },
    );

    await stopClickHouse(stack);
    // Events keep arriving during the outage.
    await produce(kafka, setup.topic, plan.messages.slice(half));
    const health = await eventually(
      async () => {
        const body = (await (await fetch(`${url}/health`)).json()) as Record<string, string>;
        return body.status === 'degraded' ? body : undefined;
      },
      { timeoutMs: 20_000, what: 'health to report the outage' },
    );
    expect(health).toMatchObject({ phase: 'running', clickhouse: 'retrying' });
    await eventually(
      async () =>
        (await metric(url, /waymark_processor_retries_total\{target="clickhouse"\} (\d+)/)) >= 3
          ? true
          : undefined,
      { what: 'a few retries' },
    );

    // The lag metric shows the backlog growing while loading is held back.
    const lagDuringOutage = await eventually(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const lags = [...text.matchAll(/waymark_processor_consumer_lag\{[^}]*\} (\d+)/g)];
        const total = lags.reduce((sum, m) => sum + Number(m[1]), 0);
        return total > 0 ? total : undefined;
      },
      { timeoutMs: 20_000, what: 'consumer lag to show the backlog' },
    );
    console.log(`consumer lag during the outage: ${lagDuringOutage}`);

    await startClickHouse(stack);
    await waitForDistinct(clickhouse, setup.database, plan.distinct);
    const counts = await visibleCounts(clickhouse, setup.database);
    console.log(`after the outage: ${JSON.stringify(counts)}`);
    expect(counts.distinct).toBe(plan.distinct);
    expect(counts.deduped).toBe(plan.distinct);
    expect(counts.revenue).toBeCloseTo(plan.revenue, 6);

    // The same process recovered: it was never restarted.
    expect(processor.child.exitCode).toBeNull();
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({
      status: 'ok',
      clickhouse: 'up',
    });
    expect(await metric(url, /waymark_processor_clickhouse_up (\d+)/)).toBe(1);
    await eventually(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const lags = [...text.matchAll(/waymark_processor_consumer_lag\{[^}]*\} (\d+)/g)];
        return lags.length > 0 && lags.every((m) => m[1] === '0') ? true : undefined;
      },
      { what: 'consumer lag back to 0' },
    );
    expect(await processor.stop('SIGTERM')).toBe(0);
  } finally {
    await clickhouse.close();
  }
}, 90_000);

it('on shutdown during an outage, exits 1 without committing what it could not load', async () => {
  const setup = processorSetup('outage-stop', clickhouseUrl(stack));
  const clickhouse = createClient({
    url: setup.clickhouseUrl,
    log: { level: ClickHouseLogLevel.OFF },
  });
  const small = planLoad(3000, 'outage-stop');
  try {
    const stopping = await startProcessorChild(setup, { PROCESSOR_SHUTDOWN_MS: '1500' });
    running.push(stopping);
    await stopClickHouse(stack);
    await produce(kafka, setup.topic, small.messages);
    await eventually(
      async () =>
        (await metric(
          stopping.url,
          /waymark_processor_retries_total\{target="clickhouse"\} (\d+)/,
        )) >= 1
          ? true
          : undefined,
      { what: 'the load to be retried' },
    );
    expect(await stopping.stop('SIGTERM')).toBe(1);
    const offsets = await committedVsEnd(kafka, setup.topic, setup.group);
    expect(offsets.every((o) => o.committed === '-1')).toBe(true);

    await startClickHouse(stack);
    running.push(await startProcessorChild(setup));
    await waitForDistinct(clickhouse, setup.database, small.distinct);
    expect((await visibleCounts(clickhouse, setup.database)).deduped).toBe(small.distinct);
  } finally {
    await clickhouse.close();
  }
}, 60_000);
