/**
 * The processor's view of a Kafka record (`CollectedEvent`), validated at the trust boundary:
 * the bytes on the topic are untrusted (anyone with produce rights can write there), so every
 * field the loader reads is checked before it becomes a row. Unknown fields are dropped, except
 * inside `properties` and `traits`, which are kept whole.
 */
import type { CollectedEvent } from '@waymark/collector/record';
import { memoize } from '@waymark/kit/memo';
import { CHANNELS, EVENT_TYPES } from '@waymark/sdk/wire';
import { z } from 'zod';
import { utcSecondOf } from './instant.js';

// The columns are DateTime64(3) (1900 … 2299), but the rollups keep page-view seconds as UInt32
// (1970-01-01 … 2106-02-07), and rows from before migration 4 were DateTime (the same range): a
// year cap of 2105 keeps every accepted instant storable in every column.
const MAX_STORABLE_MS = Date.UTC(2106, 0, 1);

function isStorableMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms < MAX_STORABLE_MS;
}

// An instant is storable exactly when its whole second is: the bounds are whole seconds.
const storableSecond = memoize(
  (isoSecond: string) => isStorableMs(Date.parse(`${isoSecond}Z`)),
  5000,
);

/** True for an ISO-8601 instant that a ClickHouse DateTime column can hold. */
export function isStorableInstant(value: string): boolean {
  const second = utcSecondOf(value);
  if (second !== undefined) return storableSecond(second);
  return isStorableMs(Date.parse(value));
}

const instant = z.string().refine(isStorableInstant, 'an ISO-8601 instant between 1970 and 2105');
const text = z.string().nullish();

const touchSchema = z.object({
  channel: z.enum(CHANNELS),
  source: z.string(),
  medium: z.string(),
  campaign: z.string(),
  term: z.string(),
  content: z.string(),
  clickIdType: z.string(),
  referrerHost: z.string(),
});

// Parsed from JSON text, so every key is a string and every value a JSON value: checking that it
// is an object (not an array, not null) is the whole check. Kept as parsed, not copied key by key
// as z.record would (that copy was a quarter of the record's validation time).
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected a JSON object',
);

const contextSchema = z.object({
  page: z.object({ url: text, path: text, referrer: text, title: text, search: text }).nullish(),
  library: z.object({ name: z.string(), version: z.string() }).nullish(),
  userAgent: text,
  locale: text,
  waymark: z.object({ sessionId: z.string() }).nullish(),
});

const eventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    messageId: z.string().min(1).max(255),
    anonymousId: text,
    userId: text,
    previousId: text,
    event: text,
    name: text,
    properties: jsonObject.nullish(),
    traits: jsonObject.nullish(),
    context: contextSchema.nullish(),
    sentAt: text,
  })
  .refine((e) => Boolean(e.anonymousId || e.userId), {
    message: 'anonymousId or userId is required',
  })
  // An identify with traits but no userId is valid Segment: it is stored, and links nothing.
  .refine((e) => e.type !== 'alias' || Boolean(e.previousId && e.userId), {
    message: 'alias needs a previousId and a userId',
  });

export const recordSchema = z.object({
  projectId: z.string().min(1).max(255),
  receivedAt: instant,
  timestamp: instant,
  ip: z.string(),
  sessionTouch: touchSchema,
  firstTouch: touchSchema,
  event: eventSchema,
});

/** What the loader may rely on after validation. */
export type LoadableRecord = z.infer<typeof recordSchema>;

// Compile-time contract check: every record the collector can produce has the shape the
// processor validates, so a change to CollectedEvent that breaks the loader fails typecheck.
export type CollectedEventIsLoadable = CollectedEvent extends LoadableRecord ? true : never;
const collectedEventIsLoadable: CollectedEventIsLoadable = true;
void collectedEventIsLoadable;
