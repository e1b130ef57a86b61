/**
 * Concurrent requests share producer round trips. While the produces allowed at once are out (an
 * idempotent producer keeps one request in flight; several producers make several lanes), the
 * records of every request that arrives are gathered and produced together next; each caller
 * resolves when its own records are acknowledged, and a failed produce fails only the callers
 * whose records were in it. Client-agnostic, so every Kafka client gets the same batching.
 */
import type { ProducedRecord, SinkBatch } from './kafka.js';
import type { Withdrawal } from './withdrawal.js';

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
 * records of concurrent callers, up to `maxBytes` per group (at least one caller). Up to `lanes`
 * groups are out at once, each on its own lane (`produce` is told which, e.g. which of several
 * idempotent producers, each of which keeps one request in flight). A caller's withdrawal
 * withdraws its records if they have not been handed to `produce` yet.
 */
export function coalesce(
  produce: (
    records: { events: ProducedRecord[]; invalid: ProducedRecord[] },
    lane: number,
  ) => Promise<void>,
  maxBytes: number,
  lanes = 1,
): (batch: SinkBatch, withdrawal?: Withdrawal) => Promise<void> {
  let waiting: Waiting[] = [];
  const free = Array.from({ length: lanes }, (_, lane) => lane);

  function takeGroup(): Waiting[] {
    let bytes = 0;
    let take = 0;
    while (take < waiting.length && (take === 0 || bytes + waiting[take]!.bytes <= maxBytes)) {
      bytes += waiting[take]!.bytes;
      take++;
    }
    const group = waiting.slice(0, take);
    waiting = waiting.slice(take);
    return group;
  }

  async function run(group: Waiting[], lane: number): Promise<void> {
    const events: ProducedRecord[] = [];
    const invalid: ProducedRecord[] = [];
    for (const w of group) {
      for (const r of w.batch.events) events.push(r);
      for (const r of w.batch.invalid) invalid.push(r);
    }
    try {
      await produce({ events, invalid }, lane);
      for (const w of group) w.resolve();
    } catch (err) {
      for (const w of group) w.reject(err);
    }
    free.push(lane);
    pump();
  }

  function pump(): void {
    while (waiting.length > 0 && free.length > 0) {
      void run(takeGroup(), free.pop()!);
    }
  }

  return (batch, withdrawal) =>
    new Promise<void>((resolve, reject) => {
      if (withdrawal?.withdrawn) {
        reject(withdrawal.reason);
        return;
      }
      const entry: Waiting = {
        batch,
        bytes: sizeOf(batch.events) + sizeOf(batch.invalid),
        resolve,
        reject,
      };
      waiting.push(entry);
      withdrawal?.onWithdraw((reason) => {
        const at = waiting.indexOf(entry);
        if (at === -1) return; // already with the producer: cannot be withdrawn
        waiting.splice(at, 1);
        reject(reason);
      });
      pump();
    });
}
