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

/** `count` records of `persons` people (round robin, so every partition gets a share). */
export function collectedRecords(count: number, persons: number): BenchRecord[] {
  const people = Array.from({ length: persons }, () => randomUUID());
  const now = new Date();
  const receivedAt = now.toISOString();
  return Array.from({ length: count }, (_, i) => {
    const anonymousId = people[i % persons] as string;
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
    return {
      key: recordKey(PROJECT_ID, { anonymousId }),
      value: JSON.stringify({ ...envelope, event: sdkEvent(i, anonymousId, now) }),
    };
  });
}

export const valueBytes = (records: readonly BenchRecord[]): number =>
  records.reduce((n, r) => n + Buffer.byteLength(r.value), 0);
