/**
 * Sending a journey set the only way a Segment user would: `@segment/analytics-node` calls,
 * batched by the library, against the collector's Segment-compatible `/v1/batch`.
 */
import { Analytics } from '@segment/analytics-node';
import { Random } from '@waymark/kit/random';
import type { SegmentCall } from './model.js';

export interface SendOrder {
  calls: SegmentCall[];
  /** Calls sent a second time (same messageId, same content). */
  duplicates: number;
}

/**
 * The calls in a shuffled order, with `duplicateShare` of them sent twice: each copy at a random
 * place, so some land in the same batch as the original and most in another.
 */
export function sendOrder(
  calls: readonly SegmentCall[],
  options: { seed: number; duplicateShare: number },
): SendOrder {
  const random = new Random(options.seed);
  const copies = calls.filter(() => random.chance(options.duplicateShare));
  return { calls: random.shuffle([...calls, ...copies]), duplicates: copies.length };
}

export interface SendResult {
  /** HTTP status of every request the library made, retries included. */
  statuses: number[];
  errors: unknown[];
  ms: number;
}

/**
 * Sends every call through one library instance (`flushAt` per batch), flushing after each
 * `chunk` calls so at most chunk / flushAt requests are in flight, then closes and flushes.
 * Each call gets its own copy of its parameters: the set stays as generated for a replay.
 */
export async function sendWithSegment(
  calls: readonly SegmentCall[],
  options: { host: string; writeKey: string; flushAt?: number; chunk?: number },
): Promise<SendResult> {
  const started = Date.now();
  const analytics = new Analytics({
    writeKey: options.writeKey,
    host: options.host,
    flushAt: options.flushAt ?? 100,
    flushInterval: 500,
    maxRetries: 3,
  });
  const statuses: number[] = [];
  const errors: unknown[] = [];
  analytics.on('http_response', (response) => statuses.push(response.status));
  analytics.on('error', (err) => errors.push(err));
  const chunk = options.chunk ?? 2000;
  for (let i = 0; i < calls.length; i += chunk) {
    for (const call of calls.slice(i, i + chunk)) {
      const copy = structuredClone(call);
      if (copy.method === 'page') analytics.page(copy.params);
      else if (copy.method === 'track') analytics.track(copy.params);
      else analytics.identify(copy.params);
    }
    await analytics.flush({ timeout: 60_000 });
  }
  await analytics.closeAndFlush({ timeout: 60_000 });
  return { statuses, errors, ms: Date.now() - started };
}
