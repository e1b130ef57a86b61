import { describe, expect, it } from 'vitest';
import { estimatedEvents } from './consumer.js';

describe('estimatedEvents', () => {
  it('counts a message at least once, and a large record as the events its bytes can hold', () => {
    const of = (...sizes: (number | null)[]) =>
      estimatedEvents(sizes.map((n) => ({ value: n === null ? null : Buffer.alloc(n) })));
    expect(of(100, null, 200)).toBe(3);
    // A version-2 record of 100 events of ~900 bytes: back-pressure sees hundreds, not one.
    expect(of(90_000)).toBeGreaterThanOrEqual(100);
    expect(of()).toBe(0);
  });
});
