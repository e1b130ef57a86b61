/**
 * Sends wire events to a real collector's /v1/batch, as an SDK would: the write key as HTTP
 * Basic user, batches in order, retrying 429/503/network failures with the server's Retry-After.
 * Every event must be accepted; a refused one is an error (the demo would be wrong otherwise).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WireEvent } from '@waymark/contract/wire';

export interface SendOptions {
  collectorUrl: string;
  writeKey: string;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
}

export class SeedSendError extends Error {
  override readonly name = 'SeedSendError';
}

async function sendBatch(batch: WireEvent[], options: SendOptions): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    let retryAfterS = Math.min(2 ** attempt * 0.1, 5);
    try {
      const response = await fetch(new URL('/v1/batch', options.collectorUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify({ batch }),
      });
      const body = (await response.json().catch(() => ({}))) as {
        accepted?: number;
        rejected?: unknown[];
        message?: string;
      };
      if (response.ok) {
        if (body.accepted !== batch.length) {
          throw new SeedSendError(
            `collector accepted ${body.accepted} of ${batch.length} events: ${JSON.stringify(body.rejected).slice(0, 500)}`,
          );
        }
        return;
      }
      if (response.status !== 429 && response.status < 500) {
        throw new SeedSendError(
          `collector refused a batch (${response.status}): ${body.message ?? ''}`,
        );
      }
      retryAfterS = Number(response.headers.get('retry-after') ?? retryAfterS) || retryAfterS;
    } catch (err) {
      if (err instanceof SeedSendError) throw err;
      if (attempt >= maxAttempts)
        throw new SeedSendError(`collector unreachable: ${(err as Error).message}`);
    }
    if (attempt >= maxAttempts) throw new SeedSendError(`gave up after ${attempt} attempts`);
    await sleep(retryAfterS * 1000);
  }
}

/** Sends all events; batches keep each person's events in order. Returns the count sent. */
export async function sendEvents(events: WireEvent[], options: SendOptions): Promise<number> {
  const size = options.batchSize ?? 250;
  const batches: WireEvent[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await sendBatch(batch, options);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 4, batches.length) }, worker),
  );
  return events.length;
}
