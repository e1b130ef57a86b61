/**
 * The Kafka record, both sides of it: what the collector produces and how the processor
 * validates it when it consumes it. The bytes on the topic are untrusted (anyone with produce
 * rights can write there), so every field the loader reads is checked before it becomes a row.
 * Unknown fields are dropped, except inside `properties` and `traits`, which are kept whole. The
 * limits both sides check come from limits.ts.
 *
 * Two versions exist. Version 1 (`CollectedEvent`, no `v` field) is one record per event: the
 * validated wire event plus what only the server knows or decides. Version 2
 * (`CollectedRecord`, `"v":2`), what the collector produces now, is one record per request and
 * person key (Snowplow's collector payload): the fields every event of the request shares once,
 * each distinct touch once, and the person's events referring to their touches by index.
 * `recordEvents` reads both, so records already on the topic at an upgrade still load.
 */

import { memoize } from '@waymark/kit/memo';
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { CHANNELS, type ChannelTouch, EVENT_TYPES, type WireEvent } from './wire.js';

/** The record versions `recordEvents` reads; `RECORD_VERSION` is the one the collector writes. */
export const RECORD_VERSION = 2;

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

/** One event of a version-2 record. */
export interface CollectedRecordEvent {
  /** Index into the record's `touches`: the session's landing touch. */
  session: number;
  /** Index into the record's `touches`: the person's first touch. */
  first: number;
  /** Present only when it differs from the record's `ip` (a server library's `context.ip`). */
  ip?: string;
  /** ISO-8601, the client's timestamp corrected for clock skew. */
  timestamp: string;
  event: WireEvent & { messageId: string };
}

/**
 * A version-2 record: one request's events of one person key (several records when they would
 * pass `RECORD_MAX_BYTES`), what they share written once.
 */
export interface CollectedRecord {
  v: typeof RECORD_VERSION;
  projectId: string;
  /** ISO-8601, when the request arrived. */
  receivedAt: string;
  /** The first event's stored IP; an event with another one carries its own. */
  ip: string;
  /** Each distinct touch of the events once (server-side classifications). */
  touches: ChannelTouch[];
  /** In the request's order. */
  events: CollectedRecordEvent[];
}

/**
 * Bytes of a version-2 value at most, before compression: a quarter of Kafka's default
 * `max.message.bytes` (1,048,588), so a record fits the events topic even when compression gains
 * nothing, and one dead-lettered whole fits a dead-letter send (512 KiB) with its headers. A
 * request's events of one person beyond it are split over several records (same key, in order).
 * An event alone is at most `LIMITS.maxEventBytes` plus a few hundred bytes of touches and times,
 * so every event fits one record.
 */
export const RECORD_MAX_BYTES = 256 * 1024;

/** Kafka key: project + person, so one person's events stay ordered in one partition. */
export function recordKey(
  projectId: string,
  event: Pick<WireEvent, 'anonymousId' | 'userId'>,
): string {
  return `${projectId}:${event.anonymousId ?? event.userId ?? ''}`;
}

// The producing side: the collector's version-2 values.

// A touch repeats in every event of a session: shared, frozen objects (the collector's touch
// memo) keep their JSON beside them instead of having it written again for every record.
const touchJson = new WeakMap<ChannelTouch, string>();

function jsonOfTouch(touch: ChannelTouch): string {
  let json = touchJson.get(touch);
  if (json === undefined) {
    json = JSON.stringify(touch);
    // Only an object that cannot change may keep its JSON.
    if (Object.isFrozen(touch)) touchJson.set(touch, json);
  }
  return json;
}

/** One record being filled: its touches (JSON → index), events and size so far. */
class RecordBuilder {
  readonly touchIndex = new Map<string, number>();
  readonly touches: string[] = [];
  readonly events: string[] = [];
  /** Characters so far (head, touches, events, separators). */
  chars: number;
  /** Exact UTF-8 bytes so far, once a record came close enough to the bound to need them. */
  bytes: number | undefined;

  constructor(
    readonly head: string,
    readonly ip: string,
  ) {
    this.chars = head.length + ip.length + 32;
  }

  toString(): string {
    return `${this.head}${JSON.stringify(this.ip)},"touches":[${this.touches.join(',')}],"events":[${this.events.join(',')}]}`;
  }
}

/**
 * A request's accepted events of one person key (in order, all of one project and request) as
 * version-2 Kafka values: what they share once, each distinct touch once, split into several
 * values where one would pass `maxBytes` (UTF-8, before compression). Exactly what
 * `JSON.stringify` writes for the same `CollectedRecord`, built from the events' JSON.
 */
export function encodeRecords(
  events: readonly CollectedEvent[],
  maxBytes: number = RECORD_MAX_BYTES,
): string[] {
  const values: string[] = [];
  const [first] = events;
  if (first === undefined) return values;
  const head = `{"v":${RECORD_VERSION},"projectId":${JSON.stringify(first.projectId)},"receivedAt":${JSON.stringify(first.receivedAt)},"ip":`;
  let record: RecordBuilder | undefined;
  for (const collected of events) {
    const eventJson = JSON.stringify(collected.event);
    const sessionJson = jsonOfTouch(collected.sessionTouch);
    const firstJson = jsonOfTouch(collected.firstTouch);
    record ??= new RecordBuilder(head, collected.ip);
    let entry = entryOf(record, collected, sessionJson, firstJson, eventJson);
    if (record.events.length > 0 && !fits(record, entry, maxBytes)) {
      values.push(record.toString());
      record = new RecordBuilder(head, collected.ip);
      entry = entryOf(record, collected, sessionJson, firstJson, eventJson);
    }
    add(record, entry);
  }
  if (record !== undefined) values.push(record.toString());
  return values;
}

interface Entry {
  /** The event's JSON in the record. */
  json: string;
  /** Touches it adds to the record's list. */
  newTouches: string[];
}

function entryOf(
  record: RecordBuilder,
  collected: CollectedEvent,
  sessionJson: string,
  firstJson: string,
  eventJson: string,
): Entry {
  const newTouches: string[] = [];
  const place = (touch: string) => {
    const known = record.touchIndex.get(touch);
    if (known !== undefined) return known;
    const at = newTouches.indexOf(touch);
    if (at !== -1) return record.touches.length + at;
    newTouches.push(touch);
    return record.touches.length + newTouches.length - 1;
  };
  const session = place(sessionJson);
  const first = place(firstJson);
  const ip = collected.ip === record.ip ? '' : `"ip":${JSON.stringify(collected.ip)},`;
  return {
    json: `{"session":${session},"first":${first},${ip}"timestamp":${JSON.stringify(collected.timestamp)},"event":${eventJson}}`,
    newTouches,
  };
}

function charsOf(entry: Entry): number {
  let chars = entry.json.length + 1;
  for (const touch of entry.newTouches) chars += touch.length + 1;
  return chars;
}

function bytesOf(entry: Entry): number {
  let bytes = Buffer.byteLength(entry.json) + 1;
  for (const touch of entry.newTouches) bytes += Buffer.byteLength(touch) + 1;
  return bytes;
}

/** Whether the entry fits the record: a UTF-8 character is at most 3 bytes per UTF-16 unit. */
function fits(record: RecordBuilder, entry: Entry, maxBytes: number): boolean {
  if ((record.chars + charsOf(entry)) * 3 <= maxBytes) return true;
  record.bytes ??= Buffer.byteLength(record.toString()) + 1;
  return record.bytes + bytesOf(entry) <= maxBytes;
}

function add(record: RecordBuilder, entry: Entry): void {
  for (const touch of entry.newTouches) {
    record.touchIndex.set(touch, record.touches.length);
    record.touches.push(touch);
  }
  record.events.push(entry.json);
  record.chars += charsOf(entry);
  if (record.bytes !== undefined) record.bytes += bytesOf(entry);
}

/**
 * The events a value holds, each as a version-1 record (what the collector decided for it), for
 * tests and tools that read the collector's own output: trusted, not validated.
 */
export function collectedEventsOf(value: string | Buffer): CollectedEvent[] {
  const record = JSON.parse(value.toString()) as CollectedRecord | CollectedEvent;
  if (!('v' in record)) return [record];
  return record.events.map((e) => ({
    projectId: record.projectId,
    receivedAt: record.receivedAt,
    timestamp: e.timestamp,
    ip: e.ip ?? record.ip,
    sessionTouch: record.touches[e.session] as ChannelTouch,
    firstTouch: record.touches[e.first] as ChannelTouch,
    event: e.event,
  }));
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

/** What the loader may rely on after validation: one event with what it shares. */
export type LoadableRecord = z.infer<typeof recordSchema>;

/**
 * A version-2 record's envelope: what its events share. Each event is checked apart
 * (`recordEventSchema`), so one invalid event is refused alone while its neighbours load.
 */
const envelopeSchema = z.object({
  v: z.literal(RECORD_VERSION),
  projectId: z.string().min(1).max(LIMITS.maxProjectIdLength),
  receivedAt: instant,
  ip: z.string(),
  touches: z.array(touchSchema).min(1),
  events: z.array(z.unknown()).min(1),
});

const touchRef = z.number().int().min(0);

const recordEventSchema = z.object({
  session: touchRef,
  first: touchRef,
  ip: z.string().optional(),
  timestamp: instant,
  event: eventSchema,
});

// The fast path: the same rules as `recordEventSchema`, checked in place on the parsed JSON.
// It only ever says yes where the schema says yes (record.test.ts and processor/src/rows.test.ts
// prove it on generated events, and that the rows built either way are equal); anything it is
// unsure of goes through the schema, which also words the reason. It keeps the event as parsed
// (unknown fields are not copied away: the loader reads only the fields checked here).

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNullish = (v: unknown) => v === undefined || v === null;
const isText = (v: unknown) => isNullish(v) || typeof v === 'string';
const isId = (v: unknown) =>
  isNullish(v) || (typeof v === 'string' && v.length <= LIMITS.maxIdLength);
const isJsonObject = (v: unknown) => isNullish(v) || isObject(v);
const EVENT_TYPE_SET: ReadonlySet<unknown> = new Set(EVENT_TYPES);

function isLoadableContext(context: unknown): boolean {
  if (isNullish(context)) return true;
  if (!isObject(context)) return false;
  const { page, library, waymark } = context;
  if (!isNullish(page)) {
    if (!isObject(page)) return false;
    if (!isText(page.url) || !isText(page.path) || !isText(page.referrer)) return false;
    if (!isText(page.title) || !isText(page.search)) return false;
  }
  if (!isNullish(library)) {
    if (!isObject(library)) return false;
    if (typeof library.name !== 'string' || typeof library.version !== 'string') return false;
  }
  if (!isNullish(waymark) && !(isObject(waymark) && typeof waymark.sessionId === 'string')) {
    return false;
  }
  return isText(context.userAgent) && isText(context.locale) && isJsonObject(context.traits);
}

function isLoadableWireEvent(event: unknown): boolean {
  if (!isObject(event)) return false;
  const { type, messageId, anonymousId, userId, previousId } = event;
  if (!EVENT_TYPE_SET.has(type)) return false;
  if (typeof messageId !== 'string' || messageId.length < 1) return false;
  if (messageId.length > LIMITS.maxIdLength) return false;
  if (!isId(anonymousId) || !isId(userId) || !isId(previousId)) return false;
  if (!isId(event.event) || !isId(event.name) || !isText(event.sentAt)) return false;
  if (!isJsonObject(event.properties) || !isJsonObject(event.traits)) return false;
  if (!isLoadableContext(event.context)) return false;
  if (!(anonymousId || userId)) return false;
  return type !== 'alias' || Boolean(previousId && userId);
}

const isTouchRef = (v: unknown, touches: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < touches;

/**
 * True only for a version-2 event entry `recordEventSchema` accepts whose touch indices are in
 * range: it can be loaded as parsed.
 */
export function isLoadableRecordEvent(raw: unknown, touches: number): raw is CollectedRecordEvent {
  if (!isObject(raw)) return false;
  if (!isTouchRef(raw.session, touches) || !isTouchRef(raw.first, touches)) return false;
  if (raw.ip !== undefined && typeof raw.ip !== 'string') return false;
  if (typeof raw.timestamp !== 'string' || !isStorableInstant(raw.timestamp)) return false;
  return isLoadableWireEvent(raw.event);
}

/** How `recordEvents` checks each event: the fast path first, or the schema alone (tests). */
export type EventValidation = 'fast' | 'schema';

/** One event of a record: ready to load, or why not. */
export type EventOutcome = { ok: true; record: LoadableRecord } | { ok: false; reason: string };

/** A record's events, or why the record as a whole cannot be read. */
export type RecordEvents =
  | { ok: true; version: 1 | typeof RECORD_VERSION; events: EventOutcome[] }
  | { ok: false; reason: string };

function problems(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((i) => {
      const path = [...prefix.split('.').filter(Boolean), ...i.path.map(String)].join('.');
      return `${path === '' ? '(record)' : path}: ${i.message}`;
    })
    .join('; ');
}

/**
 * The consuming side, for both versions: a record parsed from JSON → its events, each validated
 * on its own. A version-1 record is one event, invalid as a whole or not; a version-2 record
 * whose envelope (the shared part) is invalid is refused as a whole, otherwise each event is
 * loadable or refused with its reason.
 */
export function recordEvents(json: unknown, validation: EventValidation = 'fast'): RecordEvents {
  const versioned =
    typeof json === 'object' && json !== null && !Array.isArray(json) && 'v' in json;
  if (!versioned) {
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success)
      return { ok: false, reason: `invalid record — ${problems(parsed.error, '')}` };
    return { ok: true, version: 1, events: [{ ok: true, record: parsed.data }] };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, reason: `invalid record — ${problems(envelope.error, '')}` };
  }
  const { projectId, receivedAt, ip, touches, events } = envelope.data;
  return {
    ok: true,
    version: RECORD_VERSION,
    events: events.map((raw, index): EventOutcome => {
      if (validation === 'fast' && isLoadableRecordEvent(raw, touches.length)) {
        return {
          ok: true,
          record: {
            projectId,
            receivedAt,
            timestamp: raw.timestamp,
            ip: raw.ip ?? ip,
            sessionTouch: touches[raw.session] as ChannelTouch,
            firstTouch: touches[raw.first] as ChannelTouch,
            // As parsed: the checks above are the schema's, and the loader reads nothing else.
            event: raw.event as LoadableRecord['event'],
          },
        };
      }
      const parsed = recordEventSchema.safeParse(raw);
      if (!parsed.success) {
        return {
          ok: false,
          reason: `invalid event — ${problems(parsed.error, `events.${index}`)}`,
        };
      }
      const e = parsed.data;
      const sessionTouch = touches[e.session];
      const firstTouch = touches[e.first];
      if (sessionTouch === undefined || firstTouch === undefined) {
        return {
          ok: false,
          reason: `invalid event — events.${index}: touch index out of range (${touches.length} touches)`,
        };
      }
      return {
        ok: true,
        record: {
          projectId,
          receivedAt,
          timestamp: e.timestamp,
          ip: e.ip ?? ip,
          sessionTouch,
          firstTouch,
          event: e.event,
        },
      };
    }),
  };
}

/**
 * The value a dead letter of one event of a version-2 record carries: the record with that
 * event alone, so it can be inspected and produced again by itself. Any other value (a
 * version-1 record, text that is not a record) is returned as it is.
 */
export function singleEventValue(value: Buffer, index: number): Buffer {
  let record: unknown;
  try {
    record = JSON.parse(value.toString('utf8'));
  } catch {
    return value;
  }
  if (typeof record !== 'object' || record === null || !('events' in record)) return value;
  const { events } = record as { events: unknown };
  if (!Array.isArray(events) || index < 0 || index >= events.length) return value;
  return Buffer.from(JSON.stringify({ ...record, events: [events[index]] }));
}

// Compile-time check: every record the collector can produce has the shape the processor
// validates, so a change to CollectedEvent that breaks the loader fails typecheck.
export type CollectedEventIsLoadable = CollectedEvent extends LoadableRecord ? true : never;
const collectedEventIsLoadable: CollectedEventIsLoadable = true;
void collectedEventIsLoadable;

type RecordEventIsLoadable =
  CollectedRecordEvent extends z.input<typeof recordEventSchema> ? true : never;
const recordEventIsLoadable: RecordEventIsLoadable = true;
void recordEventIsLoadable;
