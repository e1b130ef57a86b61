import { describe, expect, it } from 'vitest';
import { isRetryable, retryDelay } from './transport.js';

describe('retry policy', () => {
  it.each([
    [0, true],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [200, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
    [422, false],
  ])('status %i retryable: %s', (status, retry) => {
    expect(isRetryable(status)).toBe(retry);
  });

  it('doubles the delay per attempt, with jitter between half and all of it, up to the cap', () => {
    expect(retryDelay(0, 60_000, null, 0)).toBe(500);
    expect(retryDelay(0, 60_000, null, 1)).toBe(1000);
    expect(retryDelay(3, 60_000, null, 1)).toBe(8000);
    expect(retryDelay(3, 60_000, null, 0.5)).toBe(6000);
    expect(retryDelay(20, 60_000, null, 1)).toBe(60_000);
  });

  it('waits at least what Retry-After asks, in seconds or as an HTTP date', () => {
    expect(retryDelay(0, 60_000, '30', 1)).toBe(30_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelay(0, 60_000, 'Thu, 01 Jan 2026 00:00:45 GMT', 1, now)).toBe(45_000);
    expect(retryDelay(2, 60_000, 'garbage', 1)).toBe(4000);
  });
});
