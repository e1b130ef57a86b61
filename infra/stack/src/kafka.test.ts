import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka.js';

describe('newClusterId', () => {
  it('is 22 base64url characters and never starts with a dash (the storage tool reads it as a flag)', () => {
    // 1 id in 64 would start with '-' without the redraw: 5,000 ids all but surely meet some.
    const ids = Array.from({ length: 5000 }, newClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
