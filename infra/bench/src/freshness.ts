/**
 * (5) Freshness: from the moment a client sends an event to the collector until the event is
 * counted by the funnel API (GET /api/v1/funnel filtered by the probe's own campaign), under steady background load (SDK-sized
 * batches of 20). Probes are single-event batches with known messageIds.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { peakRssBytes } from './cpu.js';
import { serverPids } from './machine.js';
import { batchBody, benchProjects, READ_KEY, sdkEvent, WRITE_KEY } from './payload.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { startCollector, startDashboards, startProcessor } from './services.js';
import { percentile } from './stats.js';

const BACKGROUND_EVENTS_PER_SECOND = 2000;
const PROBE_EVERY_MS = 200;
const funnelPeople = z.object({
  total: z.object({ steps: z.array(z.object({ people: z.number() })) }),
});
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function benchFreshness(ctx: BenchContext): Promise<BenchRow[]> {
  const probes = ctx.quick ? 50 : 150;
  const topic = `${ctx.runId}_fresh`;
  const db = `${ctx.runId}_fresh`;
  const collector = await startCollector(ctx, topic);
  // The bench's project configured, so the summarizer keeps its device summaries as in production.
  const processor = await startProcessor(ctx, topic, db, `${db}_group`, {
    WAYMARK_PROJECTS: benchProjects(),
  });
  const api = await startDashboards(ctx, db);
  const memory: BenchRow[] = [];
  let loading = true;
  const background = (async () => {
    // 20-event batches at a steady rate: 100 requests/s for 2,000 events/s.
    const interval = (20 / BACKGROUND_EVENTS_PER_SECOND) * 1000;
    let seed = 0;
    while (loading) {
      const started = performance.now();
      seed += 20;
      void fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: batchBody(20, seed),
      })
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      await sleep(Math.max(0, interval - (performance.now() - started)));
    }
  })();
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  try {
    await sleep(2000); // let the background load reach its steady state
    let sent = 0;
    let lastProbe = 0;
    const deadline = Date.now() + probes * PROBE_EVERY_MS + 60_000;
    while (latencies.length < probes) {
      if (Date.now() > deadline)
        throw new Error(`only ${latencies.length} of ${probes} probes became visible`);
      if (sent < probes && performance.now() - lastProbe >= PROBE_EVERY_MS) {
        lastProbe = performance.now();
        // A new person whose first touch carries a campaign of its own: the funnel filtered by
        // that campaign counts 1 person once the event is visible, 0 before.
        const campaign = `probe_${randomUUID().replaceAll('-', '')}`;
        const landing = `https://shop.example/?utm_source=probe&utm_medium=email&utm_campaign=${campaign}`;
        const base = sdkEvent(0, randomUUID());
        const event = {
          ...base,
          context: {
            page: { url: landing, path: '/', referrer: '' },
            waymark: {
              sessionId: campaign,
              sessionTouch: { url: landing, referrer: '' },
              firstTouch: { url: landing, referrer: '' },
            },
          },
        };
        const at = performance.now();
        sent++;
        void fetch(`${collector.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ writeKey: WRITE_KEY, batch: [event] }),
        }).then(async (r) => {
          await r.arrayBuffer();
          if (r.ok) pending.set(campaign, at);
        });
      }
      await Promise.all(
        [...pending].map(async ([campaign, at]) => {
          const qs = new URLSearchParams({ from: day(-1), to: day(1), campaign });
          const res = await fetch(`${api.url}/api/v1/funnel?${qs}`, {
            headers: { authorization: `Bearer ${READ_KEY}` },
          });
          if (!res.ok) return void (await res.arrayBuffer()); // table not created yet: keep polling
          const people = funnelPeople.parse(await res.json()).total.steps[0]?.people ?? 0;
          if (people > 0 && pending.delete(campaign)) latencies.push(performance.now() - at);
        }),
      );
      await sleep(50);
    }
  } finally {
    loading = false;
    await background;
    // Peak memory of every process under this load (VmHWM: the most each has held since it
    // started; for the stack's ClickHouse and Kafka, since the stack started).
    const pids = {
      collector: collector.child.pid,
      processor: processor.child.pid,
      dashboards: api.child.pid,
      ...serverPids(ctx),
    };
    for (const [service, pid] of Object.entries(pids)) {
      const peak = peakRssBytes(pid);
      if (peak === undefined) continue;
      memory.push({
        bench: 'Memory',
        measure: `peak RSS, ${service}, under the freshness load (${BACKGROUND_EVENTS_PER_SECOND} ev/s)`,
        value: peak / (1024 * 1024),
        unit: 'MiB',
        runs: [peak / (1024 * 1024)],
      });
    }
    await api.stop();
    await processor.stop();
    await collector.stop();
  }
  ctx.log(
    `freshness: p50 ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms`,
  );
  const freshness: BenchRow[] = [50, 95].map((p) => ({
    bench: 'Freshness',
    measure: `send → in funnel API, p${p} (${probes} probes, ${BACKGROUND_EVENTS_PER_SECOND} ev/s load)`,
    value: percentile(latencies, p),
    unit: 'ms',
    ...(p === 95 ? { target: '≤ 2,000 ms', met: percentile(latencies, 95) <= 2000 } : {}),
    runs: latencies,
  }));
  return [...freshness, ...memory];
}
