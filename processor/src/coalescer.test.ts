import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer.js';

function recorder() {
  const flushes: number[][] = [];
  let gate: Promise<void> = Promise.resolve();
  return {
    flushes,
    block() {
      let open = () => {};
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      return open;
    },
    flush: async (items: number[]) => {
      flushes.push(items);
      await gate;
    },
  };
}

describe('Coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-20T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('joins adds from several callers into one flush after maxWaitMs', async () => {
    const r = recorder();
    const c = new Coalescer({ maxItems: 100, maxWaitMs: 500, flush: r.flush });
    const a = c.add([1, 2]);
    const b = c.add([3]);
    await vi.advanceTimersByTimeAsync(499);
    expect(r.flushes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all([a, b]);
    expect(r.flushes).toEqual([[1, 2, 3]]);
  });

  it('flushes at once when maxItems are waiting, and never more than maxItems', async () => {
    const r = recorder();
    const c = new Coalescer({ maxItems: 3, maxWaitMs: 10_000, flush: r.flush });
    const done = c.add([1, 2, 3, 4, 5, 6, 7]);
    await vi.advanceTimersByTimeAsync(0);
    expect(r.flushes).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    expect(r.flushes.at(-1)).toEqual([7]);
  });

  it('resolves an add only after its flush succeeded', async () => {
    const r = recorder();
    const open = r.block();
    const c = new Coalescer({ maxItems: 1, maxWaitMs: 10, flush: r.flush });
    let resolved = false;
    const done = c.add([1]).then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.flushes).toEqual([[1]]);
    expect(resolved).toBe(false);
    open();
    await done;
    expect(resolved).toBe(true);
  });

  it('runs one flush at a time; the next takes what arrived meanwhile', async () => {
    const r = recorder();
    const open = r.block();
    const c = new Coalescer({ maxItems: 10, maxWaitMs: 10, flush: r.flush });
    const first = c.add([1]);
    await vi.advanceTimersByTimeAsync(10);
    const second = c.add([2]);
    const third = c.add([3]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.flushes).toEqual([[1]]);
    open();
    await Promise.all([first, second, third]);
    expect(r.flushes).toEqual([[1], [2, 3]]);
  });

  it('flushes backlog at once, and joins what arrives during that flush into the next', async () => {
    const r = recorder();
    const open = r.block();
    const c = new Coalescer({ maxItems: 100, maxWaitMs: 10_000, flush: r.flush });
    const first = c.add([1, 2], { backlog: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(r.flushes).toEqual([[1, 2]]);
    const second = c.add([3], { backlog: true });
    const third = c.add([4]);
    await vi.advanceTimersByTimeAsync(0);
    expect(r.flushes).toEqual([[1, 2]]);
    open();
    await Promise.all([first, second, third]);
    expect(r.flushes).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('rejects the adds of a failed flush, so their offsets are not committed', async () => {
    const c = new Coalescer<number>({
      maxItems: 10,
      maxWaitMs: 10,
      flush: () => Promise.reject(new Error('insert failed')),
    });
    const done = c.add([1]);
    const assertion = expect(done).rejects.toThrow('insert failed');
    await vi.advanceTimersByTimeAsync(10);
    await assertion;
  });

  it('drops an aborted add that has not started flushing', async () => {
    const r = recorder();
    const c = new Coalescer({ maxItems: 10, maxWaitMs: 100, flush: r.flush });
    const abort = new AbortController();
    const dropped = c.add([1], { signal: abort.signal });
    const kept = c.add([2]);
    abort.abort(new Error('rebalance'));
    await expect(dropped).rejects.toThrow('rebalance');
    await vi.advanceTimersByTimeAsync(100);
    await kept;
    expect(r.flushes).toEqual([[2]]);
    expect(c.pendingItems).toBe(0);
  });

  it('flushes without waiting once asked to (shutdown)', async () => {
    const r = recorder();
    const c = new Coalescer({ maxItems: 10, maxWaitMs: 60_000, flush: r.flush });
    const done = c.add([1]);
    c.flushSoon();
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(r.flushes).toEqual([[1]]);
  });
});
