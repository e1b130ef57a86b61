/**
 * `npm run bench`: measures each stage against a baseline taken in the same run, writes
 * infra/bench/results/report.{md,json} (git-ignored), the full table into infra/bench/README.md
 * (between `<!-- bench:start -->` / `<!-- bench:end -->`) and the rows with a target into the root
 * README.md (between `<!-- bench-summary:start -->` / `<!-- bench-summary:end -->`). See `--help`.
 *
 * Uses the Kafka and ClickHouse named by KAFKA_BROKERS / CLICKHOUSE_URL, else the local stack's
 * (started with `npm run stack:up`); every topic and database it creates starts with `wmb_` and is
 * removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { clickhousePaths } from '@waymark/stack/clickhouse';
import { loadStackConfig } from '@waymark/stack/config';
import { kafkaPaths } from '@waymark/stack/kafka';
import { runningPid } from '@waymark/stack/process';
import { BENCHES, type BenchName, parseBenchArgs, USAGE, UsageError } from './args.js';
import { benchCollector } from './collector.js';
import { benchFreshness } from './freshness.js';
import { benchKafkaClients } from './kafka-clients.js';
import { benchLoader } from './loader.js';
import { machineFacts } from './machine.js';
import { benchQueries } from './queries.js';
import { type Report, updateReadmes, writeReport } from './report.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { benchSdkSize } from './sdk-size.js';
import { cleanUp } from './services.js';

const RUNNERS: Record<BenchName, (ctx: BenchContext) => Promise<BenchRow[]> | BenchRow[]> = {
  sdk: () => benchSdkSize(),
  collector: benchCollector,
  kafka: benchKafkaClients,
  loader: benchLoader,
  queries: benchQueries,
  freshness: benchFreshness,
};

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`bench: ${err.message}\n${USAGE}`);
    return 2;
  }
  const stack = loadStackConfig();
  const ctx: BenchContext = {
    quick: args.quick,
    runs: args.runs,
    kafkaBrokers: (process.env.KAFKA_BROKERS ?? `127.0.0.1:${stack.kafkaPort}`).split(','),
    clickhouseUrl: process.env.CLICKHOUSE_URL ?? `http://127.0.0.1:${stack.clickhouseHttpPort}`,
    clickhousePid: process.env.CLICKHOUSE_URL
      ? undefined
      : runningPid(clickhousePaths(stack).pidFile),
    kafkaPid: process.env.KAFKA_BROKERS ? undefined : runningPid(kafkaPaths(stack).pidFile),
    runId: `wmb_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`,
    log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
  const startedAt = new Date().toISOString();
  const flags = [
    ...(args.quick ? ['--quick'] : []),
    ...(args.only.length < BENCHES.length ? ['--only', args.only.join(',')] : []),
    ...(args.runs !== 3 ? ['--runs', String(args.runs)] : []),
  ];
  const command = ['npm run bench', ...(flags.length > 0 ? ['--', ...flags] : [])].join(' ');
  const rows: BenchRow[] = [];
  const failures: Report['failures'] = [];
  try {
    for (const name of args.only) {
      ctx.log(`bench ${name}…`);
      try {
        rows.push(...(await RUNNERS[name](ctx)));
      } catch (err) {
        failures.push({ bench: name, error: (err as Error).message.split('\n')[0] ?? String(err) });
        ctx.log(`bench ${name} FAILED: ${(err as Error).stack ?? String(err)}`);
      }
    }
  } finally {
    await cleanUp(ctx).catch((err: unknown) => ctx.log(`clean-up failed: ${String(err)}`));
  }
  const report: Report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command,
    quick: args.quick,
    runs: args.runs,
    machine: await machineFacts(ctx.clickhouseUrl),
    rows,
    failures,
  };
  const markdown = writeReport(report);
  console.log(`\n${markdown}\n`);
  console.log('raw results: infra/bench/results/report.md, report.json');
  if (args.updateReadme) {
    for (const { path, updated } of updateReadmes(report)) {
      console.log(
        updated
          ? `${path}: benchmark table updated`
          : `${path}: the benchmark table's markers are missing; table not written`,
      );
    }
  }
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
