import type { WireEvent } from '@waymark/contract/wire';
import { KEYS, readJson, type Store, writeJson } from './store.js';

export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * The persistent queue: events wait here, in the store, until the collector accepted them, so
 * they survive reloads and offline periods. Bounded by count and bytes; when full, the oldest
 * are dropped and counted, and the count is reported in a later event.
 */
export function createQueue(store: Store, { maxEvents, maxBytes }: QueueLimits) {
  const read = () => readJson<WireEvent[]>(store, KEYS.queue) ?? [];
  const write = (events: WireEvent[]) => writeJson(store, KEYS.queue, events);
  const dropped = () => Number(store.get(KEYS.dropped)) || 0;
  return {
    read,
    push(event: WireEvent): void {
      const events = read();
      events.push(event);
      let bytes = JSON.stringify(events).length;
      let drops = 0;
      while (events.length > maxEvents || (bytes > maxBytes && events.length > 1)) {
        bytes -= JSON.stringify(events.shift()).length + 1;
        drops++;
      }
      write(events);
      if (drops) store.set(KEYS.dropped, String(dropped() + drops));
    },
    /** Removes the given events (by messageId): delivered, or refused for good. */
    remove(ids: Set<string | undefined>): void {
      write(read().filter((event) => !ids.has(event.messageId)));
    },
    clear(): void {
      store.set(KEYS.queue);
    },
    /** The drops not yet reported, reset as they are handed out. */
    takeDropped(): number {
      const count = dropped();
      if (count) store.set(KEYS.dropped);
      return count;
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
