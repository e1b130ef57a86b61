/**
 * (5) Freshness: from the moment a client sends an event to the collector until the event is
 * readable in the events table the query API reads, under steady background load (SDK-sized
 * batches of 20). Probes are single-event batches with known messageIds.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../src/bench/stats.js';
import { batchBody, sdkEvent, WRITE_KEY } from './payload.js';
import type { BenchContext, BenchRow } from './report-types.js';
import { benchClickHouse, startCollector, startProcessor } from './services.js';

const BACKGROUND_EVENTS_PER_SECOND = 2000;
const PROBE_EVERY_MS = 200;

export async function benchFreshness(ctx: BenchContext): Promise<BenchRow[]> {
  const probes = ctx.quick ? 50 : 150;
  const topic = `${ctx.runId}_fresh`;
  const db = `${ctx.runId}_fresh`;
  const ch = benchClickHouse(ctx);
  const collector = await startCollector(ctx, topic);
  const processor = await startProcessor(ctx, topic, db, `${db}_group`);
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
        const event = { ...sdkEvent(sent, randomUUID()), messageId: `probe-${randomUUID()}` };
        const at = performance.now();
        sent++;
        void fetch(`${collector.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ writeKey: WRITE_KEY, batch: [event] }),
        }).then(async (r) => {
          await r.arrayBuffer();
          if (r.ok) pending.set(event.messageId, at);
        });
      }
      if (pending.size > 0) {
        const ids = [...pending.keys()].map((id) => `'${id}'`).join(',');
        try {
          const rs = await ch.query({
            query: `SELECT DISTINCT message_id FROM ${db}.events WHERE message_id IN (${ids})`,
            format: 'JSONEachRow',
          });
          const now = performance.now();
          for (const { message_id } of (await rs.json()) as { message_id: string }[]) {
            const at = pending.get(message_id);
            if (at !== undefined) latencies.push(now - at);
            pending.delete(message_id);
          }
        } catch {
          // the table is created by the processor at start; keep polling
        }
      }
      await sleep(25);
    }
  } finally {
    loading = false;
    await background;
    await processor.stop();
    await collector.stop();
    await ch.close();
  }
  ctx.log(
    `freshness: p50 ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms`,
  );
  return [50, 95].map((p) => ({
    bench: 'Freshness',
    measure: `send → queryable, p${p} (${probes} probes, ${BACKGROUND_EVENTS_PER_SECOND} ev/s load)`,
    value: percentile(latencies, p),
    unit: 'ms',
    ...(p === 95 ? { target: '≤ 2,000 ms', met: percentile(latencies, 95) <= 2000 } : {}),
    runs: latencies,
  }));
}
