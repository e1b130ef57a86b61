import { describe, expect, it } from 'vitest';
import { CommitQueue, type PartitionOffset } from './commit-queue.js';

function deferred() {
  let resolve = () => {};
  let reject: (err: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function recorder() {
  const commits: PartitionOffset[][] = [];
  const queue = new CommitQueue(
    async (offsets) => {
      commits.push(offsets);
    },
    () => {},
  );
  const track = (partition: number, next: number, items = 1) => {
    const load = deferred();
    queue.track({ partition, next: String(next), highWatermark: '100', items }, load.promise);
    return load;
  };
  const committed = () => commits.flat().map(({ partition, offset }) => `${partition}@${offset}`);
  return { queue, track, committed };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CommitQueue', () => {
  it('commits a batch only once every earlier batch of its partition is durable', async () => {
    const r = recorder();
    const first = r.track(0, 10);
    const second = r.track(0, 20);
    const other = r.track(1, 5);
    second.resolve();
    other.resolve();
    await settle();
    expect(r.committed()).toEqual(['1@5']);
    first.resolve();
    await settle();
    await r.queue.idle();
    expect(r.committed()).toEqual(['1@5', '0@20']);
  });

  it('never commits past a batch that failed to load', async () => {
    const r = recorder();
    const first = r.track(0, 10);
    const failed = r.track(0, 20);
    const after = r.track(0, 30);
    first.resolve();
    failed.reject(new Error('shutdown deadline'));
    after.resolve();
    await settle();
    await r.queue.idle();
    expect(r.committed()).toEqual(['0@10']);
    const later = r.track(0, 40);
    later.resolve();
    await settle();
    await r.queue.idle();
    expect(r.committed()).toEqual(['0@10']);
  });

  it('never moves an offset backwards when a partition is fetched again after a rebalance', async () => {
    const r = recorder();
    const ahead = r.track(0, 50);
    const replay = r.track(0, 30);
    ahead.resolve();
    replay.resolve();
    await settle();
    await r.queue.idle();
    expect(r.committed()).toEqual(['0@50']);
  });

  it('holds fetching back while too many items are loading', async () => {
    const r = recorder();
    const big = r.track(0, 10, 800);
    r.track(1, 10, 300).resolve();
    let room = false;
    const waiting = r.queue.roomFor(500).then(() => {
      room = true;
    });
    await settle();
    expect(room).toBe(false);
    big.resolve();
    await waiting;
    expect(r.queue.pendingItems).toBe(0);
  });

  it('sends an offset again when a commit fails', async () => {
    let attempts = 0;
    const sent: string[] = [];
    const queue = new CommitQueue(
      async (offsets) => {
        attempts++;
        if (attempts === 1) throw new Error('rebalancing');
        sent.push(...offsets.map((o) => `${o.partition}@${o.offset}`));
      },
      () => {},
    );
    queue.track({ partition: 2, next: '7', highWatermark: '7', items: 1 }, Promise.resolve());
    await queue.idle();
    expect(attempts).toBe(2);
    expect(sent).toEqual(['2@7']);
  }, 5000);
});
