/**
 * (1) Collector ingest: events/s and latency for batches of 1, 20 and 100 SDK-shaped events,
 * full collector (validation, classification, Kafka acks=all) against a bare Fastify route that
 * parses the same body (the framework ceiling), alternating in the same run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@waymark/stack/config';
import { eventually, freePort } from '@waymark/test-harness';
import { cpuMeter, microsPerEvent, peakRssBytes } from './cpu.js';
import { runLoad } from './load.js';
import { batchBody } from './payload.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { startCollector } from './services.js';
import { median } from './stats.js';

const BATCH_SIZES = [1, 20, 100] as const;
const CONNECTIONS = 32;

async function startBare(): Promise<{
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
}> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'infra/bench/src/bare-server.ts'), String(port)],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: repoRoot },
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => ((await fetch(`${url}/ready`)).ok ? true : undefined), {
    timeoutMs: 30_000,
    what: 'bare Fastify route',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function definedOnly(values: (number | undefined)[]): number[] {
  return values.filter((v): v is number => v !== undefined);
}

export async function benchCollector(ctx: BenchContext): Promise<BenchRow[]> {
  const seconds = ctx.quick ? 4 : 10;
  const bare = await startBare();
  const collector = await startCollector(ctx, `${ctx.runId}_collector`, {
    COLLECTOR_MAX_IN_FLIGHT: '4096',
    // The load comes from one address, over more connections than one client would open.
    COLLECTOR_MAX_CONNECTIONS_PER_IP: '0',
  });
  const rows: BenchRow[] = [];
  try {
    for (const size of BATCH_SIZES) {
      const bodies = Array.from({ length: 256 }, (_, i) => batchBody(size, i * size));
      const url = (base: string) => `${base}/v1/batch`;
      // Warm both (JIT, Kafka connections, topic metadata); not measured.
      await runLoad(url(bare.url), bodies, 1, CONNECTIONS);
      await runLoad(url(collector.url), bodies, 1, CONNECTIONS);
      const bareRuns: { rate: number; p50: number; p99: number; cpu: number | undefined }[] = [];
      const fullRuns: typeof bareRuns = [];
      let failures = 0;
      for (let run = 0; run < ctx.runs; run++) {
        const bareCpu = cpuMeter({ bare: bare.pid });
        const b = await runLoad(url(bare.url), bodies, seconds, CONNECTIONS);
        const bareUsed = bareCpu.read().bare;
        const fullCpu = cpuMeter({ collector: collector.child.pid });
        const f = await runLoad(url(collector.url), bodies, seconds, CONNECTIONS);
        const fullUsed = fullCpu.read().collector;
        failures += f.non2xx + f.errors;
        const cpu = {
          bare: microsPerEvent(bareUsed, b.ok * size),
          full: microsPerEvent(fullUsed, f.ok * size),
        };
        bareRuns.push({ rate: b.okPerSecond * size, p50: b.p50Ms, p99: b.p99Ms, cpu: cpu.bare });
        fullRuns.push({ rate: f.okPerSecond * size, p50: f.p50Ms, p99: f.p99Ms, cpu: cpu.full });
        ctx.log(
          `collector batch=${size} run ${run + 1}: bare ${Math.round(b.okPerSecond * size)} ev/s, ` +
            `collector ${Math.round(f.okPerSecond * size)} ev/s (${f.non2xx} non-2xx, ${f.errors} errors); ` +
            `CPU per event: bare ${cpu.bare?.toFixed(1) ?? '?'} µs, collector ${cpu.full?.toFixed(1) ?? '?'} µs`,
        );
      }
      const rate = median(fullRuns.map((r) => r.rate));
      const bareRate = median(bareRuns.map((r) => r.rate));
      const target = size === 20 ? { target: '≥ 40 % of bare', met: rate / bareRate >= 0.4 } : {};
      rows.push({
        bench: 'Collector ingest',
        measure: `batch ${size}: events/s${failures > 0 ? ` (${failures} failed requests)` : ''}`,
        value: rate,
        unit: 'ev/s',
        baseline: { name: 'bare Fastify route', value: bareRate },
        ratio: rate / bareRate,
        ...target,
        runs: fullRuns.map((r) => r.rate),
      });
      const fullCpus = definedOnly(fullRuns.map((r) => r.cpu));
      const bareCpus = definedOnly(bareRuns.map((r) => r.cpu));
      if (fullCpus.length > 0 && bareCpus.length > 0) {
        rows.push({
          bench: 'Collector ingest',
          measure: `batch ${size}: CPU per event (collector process, /proc)`,
          value: median(fullCpus),
          unit: 'µs/event',
          baseline: { name: 'bare Fastify route', value: median(bareCpus) },
          ratio: median(fullCpus) / median(bareCpus),
          ...(size === 20 ? { target: '≤ 30 µs/event', met: median(fullCpus) <= 30 } : {}),
          runs: fullCpus,
        });
      }
      for (const p of ['p50', 'p99'] as const) {
        rows.push({
          bench: 'Collector ingest',
          measure: `batch ${size}: ${p} latency`,
          value: median(fullRuns.map((r) => r[p])),
          unit: 'ms',
          baseline: { name: 'bare Fastify route', value: median(bareRuns.map((r) => r[p])) },
          ratio: median(fullRuns.map((r) => r[p])) / median(bareRuns.map((r) => r[p])),
          runs: fullRuns.map((r) => r[p]),
        });
      }
    }
    rows.push(
      await batch20Variant(
        ctx,
        bare.url,
        seconds,
        'gzip',
        { KAFKA_COMPRESSION: 'gzip' },
        'batch 20, KAFKA_COMPRESSION=gzip: events/s',
      ),
      await batch20Variant(
        ctx,
        bare.url,
        seconds,
        'platformatic',
        { KAFKA_CLIENT: 'platformatic' },
        'batch 20, KAFKA_CLIENT=platformatic: events/s',
      ),
    );
    const peak = peakRssBytes(collector.child.pid);
    if (peak !== undefined) {
      rows.push({
        bench: 'Memory',
        measure: 'peak RSS, collector, after the batch 1 / 20 / 100 loads',
        value: peak / (1024 * 1024),
        unit: 'MiB',
        runs: [peak / (1024 * 1024)],
      });
    }
  } finally {
    await collector.stop();
    await bare.stop();
  }
  return rows;
}

/**
 * Diagnostic: the same batch-20 load through a collector started with one setting changed, against
 * the bare route again in the same runs: KAFKA_COMPRESSION=gzip shows what compressing the records
 * would cost; KAFKA_CLIENT=platformatic how much is kafkajs's record encoding.
 */
async function batch20Variant(
  ctx: BenchContext,
  bareUrl: string,
  seconds: number,
  label: string,
  env: Record<string, string>,
  measure: string,
): Promise<BenchRow> {
  const collector = await startCollector(ctx, `${ctx.runId}_collector_${label}`, {
    COLLECTOR_MAX_IN_FLIGHT: '4096',
    COLLECTOR_MAX_CONNECTIONS_PER_IP: '0',
    ...env,
  });
  try {
    const bodies = Array.from({ length: 256 }, (_, i) => batchBody(20, i * 20));
    // Warmed as long as one measured run: the default collector has served every batch size
    // before its batch-20 runs, and a colder variant would read slower than its client is.
    await runLoad(`${collector.url}/v1/batch`, bodies, seconds, CONNECTIONS);
    const bare: number[] = [];
    const variant: number[] = [];
    let failures = 0;
    for (let run = 0; run < ctx.runs; run++) {
      bare.push(
        (await runLoad(`${bareUrl}/v1/batch`, bodies, seconds, CONNECTIONS)).okPerSecond * 20,
      );
      const v = await runLoad(`${collector.url}/v1/batch`, bodies, seconds, CONNECTIONS);
      failures += v.non2xx + v.errors;
      variant.push(v.okPerSecond * 20);
      ctx.log(
        `collector batch=20 ${label} run ${run + 1}: bare ${Math.round(bare.at(-1)!)} ev/s, ` +
          `collector ${Math.round(v.okPerSecond * 20)} ev/s (${v.non2xx} non-2xx, ${v.errors} errors)`,
      );
    }
    return {
      bench: 'Collector ingest',
      measure: failures > 0 ? `${measure} (${failures} failed requests)` : measure,
      value: median(variant),
      unit: 'ev/s',
      baseline: { name: 'bare Fastify route', value: median(bare) },
      ratio: median(variant) / median(bare),
      runs: variant,
    };
  } finally {
    await collector.stop();
  }
}
