import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_POLL_MS, whileHeartbeating } from './heartbeat.js';

describe('whileHeartbeating', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-20T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('heartbeats while the work waits, and stops when it is done', async () => {
    const heartbeat = vi.fn(async () => {});
    let finish = () => {};
    const done = whileHeartbeating(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
      heartbeat,
    );
    await vi.advanceTimersByTimeAsync(HEARTBEAT_POLL_MS * 5);
    expect(heartbeat).toHaveBeenCalledTimes(5);
    finish();
    await done;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_POLL_MS * 5);
    expect(heartbeat).toHaveBeenCalledTimes(5);
  });

  it('aborts the work and rejects when a heartbeat reports a rebalance', async () => {
    const rebalance = new Error('The group is rebalancing');
    let aborted: unknown;
    const done = whileHeartbeating(
      (signal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
          });
        }),
      async () => {
        throw rebalance;
      },
    );
    const assertion = expect(done).rejects.toBe(rebalance);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_POLL_MS);
    await assertion;
    expect(aborted).toBe(rebalance);
  });
});
