/**
 * The records the Kafka client benchmark produces and consumes: what the collector writes to the
 * events topic (a `CollectedEvent` as JSON, keyed by `recordKey`), built from SDK-shaped events of
 * many persons. Built once per run, before any clock starts, and handed to every client unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { CollectedEvent } from '@waymark/contract/record';
import { recordKey } from '@waymark/contract/record';
import type { ChannelTouch } from '@waymark/contract/wire';
import { PROJECT_ID, sdkEvent } from './payload.js';

export interface BenchRecord {
  key: string;
  value: string;
}

const PAID: ChannelTouch = {
  channel: 'paid',
  source: 'google',
  medium: 'cpc',
  campaign: 'winter_sale',
  term: '',
  content: '',
  clickIdType: 'gclid',
  referrerHost: 'www.google.com',
};
const DIRECT: ChannelTouch = {
  channel: 'direct',
  source: '',
  medium: '',
  campaign: '',
  term: '',
  content: '',
  clickIdType: '',
  referrerHost: '',
};

/**
 * Today's records: one `CollectedEvent` per record. With `eventsPerRecord` > 1, the design the
 * collector is moving to: one record per request and person, its value a JSON array of that many
 * of the same `CollectedEvent`s (one person's events, consecutive). `events` events in all, of
 * `persons` people (round robin over records, so every partition gets a share).
 */
export function collectedRecords(
  events: number,
  persons: number,
  eventsPerRecord = 1,
): BenchRecord[] {
  if (!Number.isInteger(events / eventsPerRecord)) {
    throw new Error(`${events} events do not fill records of ${eventsPerRecord}`);
  }
  const people = Array.from({ length: persons }, () => randomUUID());
  const now = new Date();
  const receivedAt = now.toISOString();
  const collected = (i: number, anonymousId: string): string => {
    // The collector's fields around the event; the event is the SDK-shaped object as sent (the
    // collector stores it as validated, which adds nothing to its JSON for a valid event).
    const envelope: Omit<CollectedEvent, 'event'> = {
      projectId: PROJECT_ID,
      receivedAt,
      timestamp: receivedAt,
      ip: '203.0.113.0',
      sessionTouch: i % 4 === 3 ? DIRECT : PAID,
      firstTouch: PAID,
    };
    return JSON.stringify({ ...envelope, event: sdkEvent(i, anonymousId, now) });
  };
  return Array.from({ length: events / eventsPerRecord }, (_, r) => {
    const anonymousId = people[r % persons] as string;
    const values = Array.from({ length: eventsPerRecord }, (_, k) =>
      collected(r * eventsPerRecord + k, anonymousId),
    );
    return {
      key: recordKey(PROJECT_ID, { anonymousId }),
      value: eventsPerRecord === 1 ? (values[0] as string) : `[${values.join(',')}]`,
    };
  });
}

export const valueBytes = (records: readonly BenchRecord[]): number =>
  records.reduce((n, r) => n + Buffer.byteLength(r.value), 0);
