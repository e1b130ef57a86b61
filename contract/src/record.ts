/**
 * The Kafka record, both sides of it: what the collector produces (`CollectedEvent`, the
 * validated wire event plus what only the server knows or decides) and how the processor
 * validates it when it consumes it (`recordSchema`). The bytes on the topic are untrusted
 * (anyone with produce rights can write there), so every field the loader reads is checked
 * before it becomes a row. Unknown fields are dropped, except inside `properties` and
 * `traits`, which are kept whole. The limits both sides check come from limits.ts.
 */

import { memoize } from '@waymark/kit/memo';
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { CHANNELS, type ChannelTouch, EVENT_TYPES, type WireEvent } from './wire.js';

export interface CollectedEvent {
  projectId: string;
  /** ISO-8601, stamped by the collector when the request arrived. */
  receivedAt: string;
  /** ISO-8601: the client's timestamp corrected for clock skew (timestamp + receivedAt − sentAt). */
  timestamp: string;
  /** The client's IP, anonymized (IPv4 /24, IPv6 /48) unless the project keeps IPs; '' if unknown. */
  ip: string;
  /** Server-side classification of the session's landing touch (the client's claim is not used). */
  sessionTouch: ChannelTouch;
  /** Server-side classification of the person's first touch. */
  firstTouch: ChannelTouch;
  /** The event as validated; `messageId` always present (assigned when the client sent none). */
  event: WireEvent & { messageId: string };
}

/** Kafka key: project + person, so one person's events stay ordered in one partition. */
export function recordKey(
  projectId: string,
  event: Pick<WireEvent, 'anonymousId' | 'userId'>,
): string {
  return `${projectId}:${event.anonymousId ?? event.userId ?? ''}`;
}

/**
 * What an invalid-events record keeps of the refused event: an allow-list of fields that say
 * which client sent what kind of event when, and nothing that accepted events never store —
 * no traits, no property values, no page URLs, no raw IP. Each value is kept only when the
 * client sent a string (cut to the id limit); null otherwise.
 */
export interface RefusedEventSummary {
  type: string | null;
  /** The track event's name. */
  event: string | null;
  /** The page or screen name. */
  name: string | null;
  anonymousId: string | null;
  /** As the client sent them (not corrected: the event was not accepted). */
  timestamp: string | null;
  sentAt: string | null;
  /** `context.library`, when both its name and version are strings. */
  library: { name: string; version: string } | null;
  /** `context.ip`, else the request's, anonymized as for accepted events; '' if unknown. */
  ip: string;
}

/**
 * A record of the invalid-events topic (`waymark.events.invalid`): one event the collector
 * refused, with the reason, the offending field's path and a summary of the event, so refusals
 * can be counted, traced to a client and fixed at the source. Not the payload itself: a refused
 * event may carry what accepted ones are never stored with (collector/README.md).
 * Additive to the contract: the processor does not consume this topic.
 */
export interface InvalidEventRecord {
  projectId: string;
  /** ISO-8601, when the request arrived. */
  receivedAt: string;
  /** Position of the event in its batch. */
  index: number;
  /** The client's messageId when it sent a string one, else null. */
  messageId: string | null;
  /** A `WAYMARK_ERR_EVENT_*` code (collector/README.md). */
  code: string;
  /** Dotted path of the offending field; '' for the event as a whole. */
  path: string;
  reason: string;
  event: RefusedEventSummary;
}

// The consuming side: the processor's validation of a record.

// An ISO-8601 instant in UTC ('Z') with whole seconds written out, any fraction after them.
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/**
 * 'YYYY-MM-DDThh:mm:ss' of an ISO-8601 UTC instant — which alone decides the instant's whole
 * second, since a fraction only adds less than one — or undefined for any other text. Events
 * arrive close together, so per-second results memoised under this key are mostly hits.
 */
export function utcSecondOf(iso: string): string | undefined {
  return ISO_UTC.test(iso) ? iso.slice(0, 19) : undefined;
}

function isStorableMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= LIMITS.minStorableMs && ms < LIMITS.maxStorableMs;
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
/** Ids and event names: the wire contract's limit, checked again on the untrusted topic. */
const idText = z.string().max(LIMITS.maxIdLength).nullish();

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
  /** RudderStack's browser SDK sends identify traits only here. */
  traits: jsonObject.nullish(),
  waymark: z.object({ sessionId: z.string() }).nullish(),
});

const eventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    messageId: z.string().min(1).max(LIMITS.maxIdLength),
    anonymousId: idText,
    userId: idText,
    previousId: idText,
    event: idText,
    name: idText,
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
  projectId: z.string().min(1).max(LIMITS.maxProjectIdLength),
  receivedAt: instant,
  timestamp: instant,
  ip: z.string(),
  sessionTouch: touchSchema,
  firstTouch: touchSchema,
  event: eventSchema,
});

/** What the loader may rely on after validation. */
export type LoadableRecord = z.infer<typeof recordSchema>;

// Compile-time check: every record the collector can produce has the shape the processor
// validates, so a change to CollectedEvent that breaks the loader fails typecheck.
export type CollectedEventIsLoadable = CollectedEvent extends LoadableRecord ? true : never;
const collectedEventIsLoadable: CollectedEventIsLoadable = true;
void collectedEventIsLoadable;
