/**
 * A bounded-rate load generator that behaves like the SDK's transport: each batch keeps its
 * messageIds across retries; 429 / 5xx / network errors / timeouts are retried with backoff
 * (on the next collector, as a load balancer would), other 4xx are dropped and counted. An event
 * counts as acknowledged once a 2xx answered a request that carried it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOptions {
  /** Returns the collectors currently taking traffic (a load balancer's pool). */
  targets: () => readonly string[];
  writeKey: string;
  events: number;
  eventsPerSecond: number;
  batchSize?: number;
  /** Requests in flight at most. */
  concurrency?: number;
}

export interface LoadStats {
  sent: number;
  acknowledged: Set<string>;
  /** Acknowledged `order_completed` events (conversions). */
  conversions: number;
  people: Set<string>;
  requests: number;
  retries: number;
  /** Answers by status (0 = network error or timeout). */
  statuses: Map<number, number>;
  dropped: number;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 3000;

function batchOf(
  size: number,
  first: number,
): { body: string; ids: string[]; orders: number; person: string } {
  const person = randomUUID();
  const now = new Date().toISOString();
  let orders = 0;
  const batch = Array.from({ length: size }, (_, i) => {
    const n = first + i;
    const order = n % 10 === 9;
    if (order) orders++;
    return {
      type: n % 3 === 0 && !order ? 'page' : 'track',
      messageId: `chaos-${randomUUID()}`,
      anonymousId: person,
      timestamp: now,
      ...(n % 3 === 0 && !order
        ? { name: '/' }
        : { event: order ? 'order_completed' : 'product_viewed' }),
      properties: order
        ? { revenue: 10, currency: 'EUR', order_id: `o-${n}` }
        : { product_id: `p-${n % 50}` },
      context: {
        page: {
          url: 'https://shop.example/?utm_source=news&utm_medium=email',
          path: '/',
          referrer: '',
        },
        waymark: { sessionId: `s-${person}` },
      },
    };
  });
  return {
    body: JSON.stringify({ batch, sentAt: now }),
    ids: batch.map((e) => e.messageId),
    orders,
    person,
  };
}

export async function generateLoad(
  opts: LoadOptions,
  stats: LoadStats = newStats(),
): Promise<LoadStats> {
  const batchSize = opts.batchSize ?? 20;
  const concurrency = opts.concurrency ?? 32;
  const auth = `Basic ${Buffer.from(`${opts.writeKey}:`).toString('base64')}`;
  const started = performance.now();
  let next = 0;
  let rr = 0;
  const count = (status: number) =>
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);

  const deliver = async (body: string): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      const pool = opts.targets();
      const url = pool[rr++ % Math.max(1, pool.length)];
      stats.requests++;
      let status = 0;
      if (url !== undefined) {
        try {
          const res = await fetch(`${url}/v1/batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: auth },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 0;
        }
      }
      count(status);
      if (status >= 200 && status < 300) return true;
      if (status >= 400 && status < 500 && status !== 429 && status !== 408) return false;
      stats.retries++;
      await sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  };

  const worker = async () => {
    while (next < opts.events) {
      const first = next;
      const size = Math.min(batchSize, opts.events - first);
      next += size;
      // Bounded rate: batch k may start no earlier than k × size / rate after the start.
      const due = started + (first / opts.eventsPerSecond) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const batch = batchOf(size, first);
      stats.sent += size;
      if (await deliver(batch.body)) {
        for (const id of batch.ids) stats.acknowledged.add(id);
        stats.conversions += batch.orders;
        stats.people.add(batch.person);
      } else stats.dropped += size;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return stats;
}

export function newStats(): LoadStats {
  return {
    sent: 0,
    acknowledged: new Set(),
    conversions: 0,
    people: new Set(),
    requests: 0,
    retries: 0,
    statuses: new Map(),
    dropped: 0,
  };
}
