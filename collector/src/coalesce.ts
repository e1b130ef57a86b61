/**
 * Concurrent requests share producer round trips. While one produce is out (an idempotent
 * producer keeps one request in flight), the records of every request that arrives are gathered
 * and produced together next; each caller resolves when its own records are acknowledged, and a
 * failed produce fails only the callers whose records were in it. Client-agnostic, so every
 * Kafka client the benchmark compares gets the same batching.
 */
import type { ProducedRecord, SinkBatch } from './kafka.js';

interface Waiting {
  batch: SinkBatch;
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const sizeOf = (records: readonly ProducedRecord[]) =>
  records.reduce((n, r) => n + r.value.length + r.key.length, 0);

/**
 * Wraps `produce` (one broker round trip for the records given) into a `send` that groups the
 * records of concurrent callers, up to `maxBytes` per group (at least one caller). Aborting a
 * caller's signal withdraws its records if they have not been handed to `produce` yet.
 */
export function coalesce(
  produce: (records: { events: ProducedRecord[]; invalid: ProducedRecord[] }) => Promise<void>,
  maxBytes: number,
): (batch: SinkBatch, signal?: AbortSignal) => Promise<void> {
  let waiting: Waiting[] = [];
  let producing = false;

  async function pump(): Promise<void> {
    if (producing) return;
    producing = true;
    while (waiting.length > 0) {
      let bytes = 0;
      let take = 0;
      while (take < waiting.length && (take === 0 || bytes + waiting[take]!.bytes <= maxBytes)) {
        bytes += waiting[take]!.bytes;
        take++;
      }
      const group = waiting.slice(0, take);
      waiting = waiting.slice(take);
      const events: ProducedRecord[] = [];
      const invalid: ProducedRecord[] = [];
      for (const w of group) {
        events.push(...w.batch.events);
        invalid.push(...w.batch.invalid);
      }
      try {
        await produce({ events, invalid });
        for (const w of group) w.resolve();
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    producing = false;
  }

  return (batch, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: Waiting = {
        batch,
        bytes: sizeOf(batch.events) + sizeOf(batch.invalid),
        resolve,
        reject,
      };
      waiting.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const at = waiting.indexOf(entry);
          if (at === -1) return; // already with the producer: cannot be withdrawn
          waiting.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
      void pump();
    });
}
