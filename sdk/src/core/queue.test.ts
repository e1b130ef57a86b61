import type { WireEvent } from '@waymark/contract/wire';
import { describe, expect, it } from 'vitest';
import { createQueue } from './queue.js';
import { KEYS, memoryStore } from './store.js';

const event = (n: number, padding = ''): WireEvent => ({
  type: 'track',
  event: `e${n}`,
  messageId: `m${n}`,
  properties: { padding },
});

describe('persistent queue', () => {
  it('keeps events in the store, so a new queue on the same store (a reload) sees them', () => {
    const store = memoryStore();
    createQueue(store, { maxEvents: 10, maxBytes: 10_000 }).push(event(1));
    expect(createQueue(store, { maxEvents: 10, maxBytes: 10_000 }).read()).toEqual([event(1)]);
  });

  it('drops the oldest beyond the count bound and counts the drops once', () => {
    const queue = createQueue(memoryStore(), { maxEvents: 3, maxBytes: 100_000 });
    for (let n = 1; n <= 5; n++) queue.push(event(n));
    expect(queue.read().map((e) => e.event)).toEqual(['e3', 'e4', 'e5']);
    expect(queue.takeDropped()).toBe(2);
    expect(queue.takeDropped()).toBe(0);
  });

  it('drops the oldest beyond the byte bound', () => {
    const store = memoryStore();
    const queue = createQueue(store, { maxEvents: 100, maxBytes: 1_000 });
    for (let n = 1; n <= 6; n++) queue.push(event(n, 'x'.repeat(200)));
    expect(store.get(KEYS.queue)!.length).toBeLessThanOrEqual(1_000);
    const kept = queue.read().map((e) => e.event);
    expect(kept).toEqual(['e4', 'e5', 'e6']);
    expect(queue.takeDropped()).toBe(3);
  });

  it('keeps a single event even when it alone is over the byte bound', () => {
    const queue = createQueue(memoryStore(), { maxEvents: 100, maxBytes: 10 });
    queue.push(event(1, 'x'.repeat(50)));
    expect(queue.read()).toHaveLength(1);
  });

  it('removes delivered events by messageId and survives a corrupt store', () => {
    const store = memoryStore();
    const queue = createQueue(store, { maxEvents: 10, maxBytes: 10_000 });
    for (let n = 1; n <= 3; n++) queue.push(event(n));
    queue.remove(new Set(['m1', 'm3']));
    expect(queue.read().map((e) => e.messageId)).toEqual(['m2']);
    store.set(KEYS.queue, '{not json');
    expect(queue.read()).toEqual([]);
  });
});
