import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, retryUntilDone } from './retry.js';

const policy = { minMs: 100, maxMs: 1000 };

describe('backoffMs', () => {
  it('doubles from minMs up to maxMs, with ±25 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffMs(policy, a, mid))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffMs(policy, 0, () => 0)).toBe(75);
    expect(backoffMs(policy, 10, () => 1)).toBe(1250);
  });
});

describe('retryUntilDone', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-20T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('retries until the operation succeeds', async () => {
    let calls = 0;
    const retries: number[] = [];
    const done = retryUntilDone(
      async () => {
        calls++;
        if (calls < 5) throw new Error('down');
        return 'loaded';
      },
      {
        policy,
        isRetryable: () => true,
        onRetry: (_err, attempt) => retries.push(attempt),
        signal: new AbortController().signal,
      },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await done).toBe('loaded');
    expect(retries).toEqual([1, 2, 3, 4]);
  });

  it('throws a non-retryable error at once', async () => {
    const done = retryUntilDone(async () => Promise.reject(new Error('bad data')), {
      policy,
      isRetryable: () => false,
      onRetry: () => {
        throw new Error('must not retry');
      },
      signal: new AbortController().signal,
    });
    await expect(done).rejects.toThrow('bad data');
  });

  it('gives up with the last error when aborted', async () => {
    const abort = new AbortController();
    const done = retryUntilDone(async () => Promise.reject(new Error('still down')), {
      policy,
      isRetryable: () => true,
      onRetry: () => {},
      signal: abort.signal,
    });
    const assertion = expect(done).rejects.toThrow('still down');
    await vi.advanceTimersByTimeAsync(50);
    abort.abort();
    await assertion;
  });
});
