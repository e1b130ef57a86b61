import { describe, expect, it } from 'vitest';
import { correctTimestamp } from './time.js';

const received = Date.parse('2026-11-20T12:00:00.000Z');

describe('correctTimestamp', () => {
  it('shifts the timestamp by the skew between sentAt and receivedAt', () => {
    // The client clock runs 10 minutes ahead: it sent at 12:10 (its time), we got it at 12:00.
    expect(
      correctTimestamp(received, '2026-11-20T12:05:00.000Z', '2026-11-20T12:10:00.000Z'),
    ).toEqual({ ok: true, timestamp: '2026-11-20T11:55:00.000Z' });
  });

  it('trusts a clock within the tolerance: latency is no skew, and a replay stores the same times', () => {
    const at = '2026-11-20T11:59:00.123Z';
    for (const sentAt of [
      '2026-11-20T11:59:59.700Z',
      '2026-11-20T12:00:09.000Z',
      '2026-11-20T11:59:50.000Z',
    ]) {
      expect(correctTimestamp(received, at, sentAt)).toEqual({ ok: true, timestamp: at });
    }
    // Just beyond it: the whole difference is corrected.
    expect(correctTimestamp(received, at, '2026-11-20T12:00:10.001Z')).toEqual({
      ok: true,
      timestamp: '2026-11-20T11:58:50.122Z',
    });
  });

  it('keeps the timestamp when there is no sentAt, and uses receivedAt when there is none', () => {
    expect(correctTimestamp(received, '2026-11-20T11:00:00+01:00', undefined)).toEqual({
      ok: true,
      timestamp: '2026-11-20T10:00:00.000Z',
    });
    expect(correctTimestamp(received, undefined, '2026-11-20T12:10:00.000Z')).toEqual({
      ok: true,
      timestamp: '2026-11-20T12:00:00.000Z',
    });
  });

  it('refuses timestamps absurdly far in the future or the past', () => {
    expect(correctTimestamp(received, '2027-01-01T00:00:00.000Z', undefined).ok).toBe(false);
    expect(
      correctTimestamp(received, '2026-11-21T11:00:00.000Z', '2026-11-20T12:00:00.000Z').ok,
    ).toBe(true);
    expect(correctTimestamp(received, '1999-12-31T23:59:59.000Z', undefined).ok).toBe(false);
  });

  it('corrects each event by its own sentAt when batches alternate', () => {
    const sentAts = ['2026-11-20T12:10:00.000Z', '2026-11-20T11:50:00.000Z'];
    const results = [0, 1, 0, 1].map(
      (i) =>
        correctTimestamp(received, '2026-11-20T12:00:00.000Z', sentAts[i]) as { timestamp: string },
    );
    expect(results.map((r) => r.timestamp)).toEqual([
      '2026-11-20T11:50:00.000Z',
      '2026-11-20T12:10:00.000Z',
      '2026-11-20T11:50:00.000Z',
      '2026-11-20T12:10:00.000Z',
    ]);
  });
});
