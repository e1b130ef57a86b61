/**
 * (3) Loader: Kafka → ClickHouse events/s sustained by the processor (its defaults), against a
 * raw insert of the same rows POSTed straight to the engine's HTTP interface as
 * `INSERT … FORMAT JSONEachRow` (the storage ceiling: ClickHouse's own parsing and storing).
 *
 * The topic is filled once through the real collector, so it holds what the collector produces:
 * version-2 records, one per request and person (sendEvents posts batches of 100 events of one
 * person, so mostly 100 events per record). Each run then starts a processor with a
 * new consumer group and a new database, and times the rows arriving (first row → last row, so
 * the start-up — migrations, group join — is not counted as loading).
 *
 * The ceiling inserts into the same schema the processor loaded into, copied from its database:
 * `events` with the materialized views that keep the query rollups, which every insert feeds.
 * A bare copy of `events` alone is timed too and logged, to show what the views cost.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { cpuMeter, microsPerEvent } from './cpu.js';
import { settleMerges } from './merges.js';
import { RESULTS_DIR } from './report.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { sendEvents } from './send.js';
import { benchClickHouse, startCollector, startProcessor } from './services.js';
import { median } from './stats.js';

async function count(ch: ClickHouseClient, database: string): Promise<number> {
  try {
    const rs = await ch.query({
      query: `SELECT count() AS n FROM ${database}.events`,
      format: 'JSONEachRow',
    });
    return Number(((await rs.json()) as { n: string }[])[0]?.n ?? 0);
  } catch {
    return 0; // the table does not exist yet: the processor is still migrating
  }
}

interface LoadTiming {
  rate: number;
  /** CPU µs per event of the processor and ClickHouse processes over the timed window. */
  processorCpu: number | undefined;
  clickhouseCpu: number | undefined;
}

async function timeProcessorLoad(
  ctx: BenchContext,
  ch: ClickHouseClient,
  topic: string,
  database: string,
  total: number,
): Promise<LoadTiming> {
  const processor = await startProcessor(ctx, topic, database, `${database}_group`);
  try {
    const deadline = Date.now() + (ctx.quick ? 120_000 : 600_000);
    const meter = () => cpuMeter({ processor: processor.child.pid, clickhouse: ctx.clickhousePid });
    // CPU is counted from the moment the consumer runs (after start-up and migrations), so that
    // the events fetched and prepared before the first row lands count too: with records of many
    // events, a large part of the load is prepared before the first insert. Rates are still
    // timed first row → last row.
    const running = await whenRunning(processor.url, deadline);
    const cpu = running ? meter() : undefined;
    let first: { at: number; rows: number; cpu: ReturnType<typeof meter> } | undefined;
    for (;;) {
      const rows = await count(ch, database);
      const now = performance.now();
      if (rows > 0 && !first) first = { at: now, rows, cpu: meter() };
      if (rows >= total && first) {
        const loaded = rows - first.rows;
        const used = (cpu ?? first.cpu).read();
        const counted = cpu ? rows : loaded;
        return {
          rate: loaded / ((now - first.at) / 1000),
          processorCpu: microsPerEvent(used.processor, counted),
          clickhouseCpu: microsPerEvent(used.clickhouse, counted),
        };
      }
      if (Date.now() > deadline)
        throw new Error(`processor loaded ${rows} of ${total} rows in time`);
      if (processor.child.exitCode !== null)
        throw new Error(`processor exited: ${processor.output()}`);
      await sleep(50);
    }
  } finally {
    await processor.stop();
  }
}

/** Waits until the processor's /health says its consumer runs; false if it never says so. */
async function whenRunning(url: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`);
      const body = (await res.json()) as { phase?: string };
      if (body.phase === 'running') return true;
      if (body.phase === undefined) return false;
    } catch {
      // not answering yet
    }
    await sleep(20);
  }
  return false;
}

/**
 * POSTs a file of JSONEachRow lines to the engine's HTTP interface, streamed, as one
 * synchronous insert (async_insert=0: the server's default buffering would time its flushes,
 * not its storing).
 */
async function postInsert(url: string, query: string, file: string): Promise<void> {
  const target = new URL(url);
  target.searchParams.set('query', query);
  target.searchParams.set('async_insert', '0');
  const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson' };
  if (target.username || target.password) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const res = await fetch(target, {
    method: 'POST',
    headers,
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw new Error(`raw insert: HTTP ${res.status}: ${(await res.text()).trim()}`);
  await res.arrayBuffer();
}

/**
 * Recreates `from`'s tables and materialized views in `to` from their own DDL (tables first, so
 * the views find their targets). Database names are bench-generated, so renaming is textual.
 */
async function copySchema(ch: ClickHouseClient, from: string, to: string): Promise<void> {
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${to}` });
  const rs = await ch.query({
    query: `SELECT name FROM system.tables WHERE database = '${from}' AND name NOT LIKE '.inner%' ORDER BY engine = 'MaterializedView', name`,
    format: 'JSONEachRow',
  });
  for (const { name } of (await rs.json()) as { name: string }[]) {
    const ddl = await ch.query({
      query: `SHOW CREATE TABLE ${from}.${name}`,
      format: 'JSONEachRow',
    });
    const [{ statement }] = (await ddl.json()) as [{ statement: string }];
    await ch.command({ query: statement.replaceAll(`${from}.`, `${to}.`) });
  }
}

/** The storage ceiling: the same rows, POSTed to ClickHouse's HTTP interface in one statement. */
async function timeRawInsert(
  ctx: BenchContext,
  ch: ClickHouseClient,
  source: string,
  database: string,
  file: string,
  schema: 'full' | 'bare',
): Promise<{ rate: number; command: string; clickhouseCpu: number | undefined }> {
  if (schema === 'full') await copySchema(ch, source, database);
  else {
    await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    await ch.command({ query: `CREATE TABLE ${database}.events AS ${source}.events` });
  }
  const query = `INSERT INTO ${database}.events FORMAT JSONEachRow`;
  const cpu = cpuMeter({ clickhouse: ctx.clickhousePid });
  const started = performance.now();
  await postInsert(ctx.clickhouseUrl, query, file);
  const seconds = (performance.now() - started) / 1000;
  const used = cpu.read().clickhouse;
  const rows = await count(ch, database);
  return {
    rate: rows / seconds,
    command: 'HTTP POST INSERT … FORMAT JSONEachRow',
    clickhouseCpu: microsPerEvent(used, rows),
  };
}

export async function benchLoader(ctx: BenchContext): Promise<BenchRow[]> {
  const total = ctx.quick ? 100_000 : 300_000;
  const topic = `${ctx.runId}_loader`;
  const ch = benchClickHouse(ctx);
  const dir = join(RESULTS_DIR, ctx.runId);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'rows.jsonl');
  try {
    const collector = await startCollector(ctx, topic);
    try {
      await sendEvents(collector.url, total);
    } finally {
      await collector.stop();
    }
    ctx.log(`loader: ${total} events in ${topic}`);
    const processorRates: number[] = [];
    const rawRates: number[] = [];
    const processorCpus: number[] = [];
    const clickhouseCpus: number[] = [];
    const rawClickhouseCpus: number[] = [];
    let rawCommand = '';
    // Each timing starts once the merges after the previous load are over, so no run pays for
    // the one before it.
    const settled = async () => ctx.log(`loader: ${await settleMerges(ch, undefined, 120_000)}`);
    for (let i = 0; i < ctx.runs; i++) {
      const db = `${ctx.runId}_load${i}`;
      await settled();
      const load = await timeProcessorLoad(ctx, ch, topic, db, total);
      processorRates.push(load.rate);
      if (load.processorCpu !== undefined) processorCpus.push(load.processorCpu);
      if (load.clickhouseCpu !== undefined) clickhouseCpus.push(load.clickhouseCpu);
      if (i === 0) {
        const rs = await ch.query({ query: `SELECT * FROM ${db}.events`, format: 'JSONEachRow' });
        await pipeline(
          rs.stream(),
          async function* (source) {
            for await (const rows of source) for (const row of rows) yield `${row.text}\n`;
          },
          createWriteStream(file),
        );
      }
      await settled();
      const raw = await timeRawInsert(ctx, ch, db, `${ctx.runId}_raw${i}`, file, 'full');
      await settled();
      const bare = await timeRawInsert(ctx, ch, db, `${ctx.runId}_bare${i}`, file, 'bare');
      rawRates.push(raw.rate);
      if (raw.clickhouseCpu !== undefined) rawClickhouseCpus.push(raw.clickhouseCpu);
      rawCommand = raw.command;
      const us = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(1));
      ctx.log(
        `loader run ${i + 1}: processor ${Math.round(load.rate)} rows/s (CPU per event: processor ${us(load.processorCpu)} µs, ClickHouse ${us(load.clickhouseCpu)} µs), raw insert ${Math.round(raw.rate)} rows/s (ClickHouse ${us(raw.clickhouseCpu)} µs per row; events table alone, without the rollup views: ${Math.round(bare.rate)} rows/s)`,
      );
    }
    const rate = median(processorRates);
    const ceiling = median(rawRates);
    return [
      {
        bench: 'Loader',
        measure: `Kafka → ClickHouse, ${total.toLocaleString('en-US')} events`,
        value: rate,
        unit: 'ev/s',
        baseline: { name: rawCommand, value: ceiling },
        ratio: rate / ceiling,
        target: '≥ 50 % of raw',
        met: rate / ceiling >= 0.5,
        runs: processorRates,
      },
      ...(processorCpus.length > 0
        ? [
            {
              bench: 'Loader',
              measure: 'CPU per event (processor process, /proc)',
              value: median(processorCpus),
              unit: 'µs/event',
              target: '≤ 15 µs/event',
              met: median(processorCpus) <= 15,
              runs: processorCpus,
            },
          ]
        : []),
      ...(clickhouseCpus.length > 0 && rawClickhouseCpus.length > 0
        ? [
            {
              bench: 'Loader',
              measure: 'CPU per event (ClickHouse process, /proc, while the processor loads)',
              value: median(clickhouseCpus),
              unit: 'µs/event',
              baseline: {
                name: 'the raw insert of the same rows',
                value: median(rawClickhouseCpus),
              },
              ratio: median(clickhouseCpus) / median(rawClickhouseCpus),
              runs: clickhouseCpus,
            },
          ]
        : []),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await ch.close();
  }
}
