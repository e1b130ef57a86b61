import { pageOf } from '@waymark/contract/page';
import type { LoadableRecord } from '@waymark/contract/record';
import { isStorableInstant, utcSecondOf } from '@waymark/contract/record';
import { EVENTS_V4, type EventRow, type IdentityRow } from '@waymark/contract/schema';
import type { ChannelTouch } from '@waymark/contract/wire';
import { clickHouseDateTime64 } from '@waymark/kit/clickhouse-time';
import { memoize } from '@waymark/kit/memo';
import { RowReader, RowWriter } from './clickhouse/row-binary.js';
import { commerceFields } from './commerce.js';
import { hostOf, pathOf } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

// The epoch milliseconds of a whole second, memoised: events arrive close together, so the
// second is mostly a hit and only the milliseconds are added per value.
const secondMs = memoize((isoSecond: string) => Date.parse(`${isoSecond}Z`), 5000);

/** Milliseconds of an ISO fraction ('' or '.d…'), truncated to three digits as Date.parse does. */
function millisOf(fraction: string): number {
  return Number(`${fraction.slice(1, 4)}000`.slice(0, 3));
}

/** The epoch milliseconds of an instant as Date.parse reads it, or NaN when it does not. */
function parseInstant(iso: string): number {
  const second = utcSecondOf(iso);
  // Hour 24 is valid only as 24:00:00 exactly, which Date.parse alone decides.
  if (second !== undefined && !second.endsWith('T24', 13)) {
    // The fraction sits between the second and the 'Z'.
    return secondMs(second) + millisOf(iso.slice(19, -1));
  }
  return Date.parse(iso);
}

/**
 * ISO-8601 → epoch milliseconds, what a `DateTime64(3, 'UTC')` column holds (the instant to the
 * millisecond, as Date.parse reads it). Callers pass validated instants; an unparsable one falls
 * back to `fallback` so a row is never dropped.
 */
export function toInstantMs(iso: string | null | undefined, fallback: string): number {
  const ms = iso ? parseInstant(iso) : Number.NaN;
  if (Number.isFinite(ms)) return ms;
  const fallbackMs = parseInstant(fallback);
  if (!Number.isFinite(fallbackMs)) throw new RangeError(`not an instant: ${fallback}`);
  return fallbackMs;
}

/** `toInstantMs` as the text a DateTime64(3) column parses: 'YYYY-MM-DD hh:mm:ss.sss' UTC. */
export function toClickHouseDateTime(iso: string | null | undefined, fallback: string): string {
  return clickHouseDateTime64(toInstantMs(iso, fallback));
}

type SharedColumn =
  | keyof ReturnType<typeof recordColumns>
  | keyof ReturnType<typeof sessionColumns>
  | keyof ReturnType<typeof firstColumns>;

/** The columns that differ from event to event (the rest: `recordColumns`, `touchColumns`). */
type OwnColumns = Omit<EventRow, SharedColumn>;

/** `OwnColumns` with the instants as epoch milliseconds, as RowBinary carries them. */
type OwnValues = Omit<OwnColumns, 'timestamp' | 'sent_at'> & { timestamp: number; sent_at: number };

function ownValues(record: LoadableRecord): OwnValues {
  const { event, receivedAt } = record;
  const context = event.context;
  const page = pageOf(event);
  const library = context?.library;
  const properties = event.properties ?? {};
  const commerce = commerceFields(properties);
  const agent = parseUserAgent(context?.userAgent);
  return {
    message_id: event.messageId,
    type: event.type,
    event: event.event ?? event.name ?? '',
    anonymous_id: event.anonymousId ?? '',
    user_id: event.userId ?? '',
    session_id: context?.waymark?.sessionId ?? '',
    timestamp: toInstantMs(record.timestamp, receivedAt),
    // sentAt is unvalidated client text: one that is unparsable, or outside what every
    // timestamp column holds (year 1, year 9999: servers clamp those, each release its own
    // way), falls back to receivedAt.
    sent_at: toInstantMs(
      event.sentAt && isStorableInstant(event.sentAt) ? event.sentAt : undefined,
      receivedAt,
    ),
    page_url: page?.url ?? '',
    page_path: pathOf(page?.path, page?.url),
    page_title: page?.title ?? '',
    page_referrer: page?.referrer ?? '',
    referrer_host: hostOf(page?.referrer),
    revenue: commerce.revenue,
    currency: commerce.currency,
    order_id: commerce.order_id,
    browser: agent.browser,
    browser_version: agent.browser_version,
    os: agent.os,
    device_type: agent.device_type,
    locale: context?.locale ?? '',
    ip: record.ip,
    is_bot: agent.is_bot,
    library: library ? `${library.name}/${library.version}` : '',
    properties: JSON.stringify(properties),
    // RudderStack's browser SDK sends identify traits only in context.traits.
    traits: JSON.stringify(event.traits ?? context?.traits ?? {}),
  };
}

function recordColumns(record: LoadableRecord) {
  return {
    project_id: record.projectId,
    received_at: toClickHouseDateTime(record.receivedAt, record.receivedAt),
  };
}

function sessionColumns(session: ChannelTouch) {
  return {
    session_channel: session.channel,
    session_source: session.source,
    session_medium: session.medium,
    session_campaign: session.campaign,
    session_term: session.term,
    session_content: session.content,
    session_click_id_type: session.clickIdType,
    session_referrer_host: session.referrerHost,
  };
}

function firstColumns(first: ChannelTouch) {
  return {
    first_channel: first.channel,
    first_source: first.source,
    first_medium: first.medium,
    first_campaign: first.campaign,
    first_term: first.term,
    first_content: first.content,
    first_click_id_type: first.clickIdType,
    first_referrer_host: first.referrerHost,
  };
}

/**
 * A validated record → one events row, enriched: user agent → browser / OS / device / bot,
 * page referrer → host, URL → path, e-commerce properties → revenue / currency / order id.
 * Pure and deterministic, so a replayed message yields a byte-identical row. (The readable form
 * of what `writeEventRow` inserts.)
 */
export function toEventRow(record: LoadableRecord): EventRow {
  const own = ownValues(record);
  return {
    ...recordColumns(record),
    ...own,
    timestamp: clickHouseDateTime64(own.timestamp),
    sent_at: clickHouseDateTime64(own.sent_at),
    ...sessionColumns(record.sessionTouch),
    ...firstColumns(record.firstTouch),
  };
}

/** The columns of `writeEventRow`'s rows, in the order it writes them. */
export const EVENT_ROW_COLUMNS = Object.freeze([
  ...(['project_id', 'received_at'] as const),
  ...(Object.keys(sessionColumns({} as ChannelTouch)) as (keyof EventRow)[]),
  ...(Object.keys(firstColumns({} as ChannelTouch)) as (keyof EventRow)[]),
  ...([
    'message_id',
    'type',
    'event',
    'anonymous_id',
    'user_id',
    'session_id',
    'timestamp',
    'sent_at',
    'page_url',
    'page_path',
    'page_title',
    'page_referrer',
    'referrer_host',
    'revenue',
    'currency',
    'order_id',
    'browser',
    'browser_version',
    'os',
    'device_type',
    'locale',
    'ip',
    'is_bot',
    'library',
    'properties',
    'traits',
  ] as const),
]) as readonly (keyof EventRow)[];

function writeTouch(out: RowWriter, touch: ChannelTouch): void {
  out.string(touch.channel);
  out.string(touch.source);
  out.string(touch.medium);
  out.string(touch.campaign);
  out.string(touch.term);
  out.string(touch.content);
  out.string(touch.clickIdType);
  out.string(touch.referrerHost);
}

// The bytes of the columns an event shares with the others of its record: written once per
// record (project, receivedAt) and once per touch (the touches are the record's shared objects).
const recordBytes = new WeakMap<object, Buffer>();
const touchBytes = new WeakMap<ChannelTouch, Buffer>();

function fragment<K extends object>(
  cache: WeakMap<K, Buffer>,
  key: K,
  write: (out: RowWriter) => void,
): Buffer {
  let bytes = cache.get(key);
  if (bytes === undefined) {
    const out = new RowWriter(256);
    write(out);
    bytes = out.finish();
    cache.set(key, bytes);
  }
  return bytes;
}

/**
 * Appends the events row of `toEventRow` to `out` as RowBinary, its columns in
 * `EVENT_ROW_COLUMNS` order: the columns an event shares with the rest of its record are encoded
 * once per record and touch, not once per event. `shared` is the object the record's events
 * share (the processor passes the parsed envelope). Throws (writing nothing) when enrichment
 * fails.
 */
export function writeEventRow(out: RowWriter, record: LoadableRecord, shared: object): void {
  const own = ownValues(record);
  out.bytes(
    fragment(recordBytes, shared, (w) => {
      w.string(record.projectId);
      w.dateTime64(toInstantMs(record.receivedAt, record.receivedAt));
    }),
  );
  out.bytes(fragment(touchBytes, record.sessionTouch, (w) => writeTouch(w, record.sessionTouch)));
  out.bytes(fragment(touchBytes, record.firstTouch, (w) => writeTouch(w, record.firstTouch)));
  out.string(own.message_id);
  out.string(own.type);
  out.string(own.event);
  out.string(own.anonymous_id);
  out.string(own.user_id);
  out.string(own.session_id);
  out.dateTime64(own.timestamp);
  out.dateTime64(own.sent_at);
  out.string(own.page_url);
  out.string(own.page_path);
  out.string(own.page_title);
  out.string(own.page_referrer);
  out.string(own.referrer_host);
  // -0 and 0 are one revenue; JSON never told them apart either.
  out.float64(own.revenue || 0);
  out.string(own.currency);
  out.string(own.order_id);
  out.string(own.browser);
  out.string(own.browser_version);
  out.string(own.os);
  out.string(own.device_type);
  out.string(own.locale);
  out.string(own.ip);
  out.uint8(own.is_bot);
  out.string(own.library);
  out.string(own.properties);
  out.string(own.traits);
}

/** One events row read back from RowBinary (tests; the inverse of `writeEventRow`). */
export function readEventRow(bytes: Uint8Array): EventRow {
  const reader = new RowReader(bytes);
  const row: Record<string, string | number> = {};
  for (const column of EVENT_ROW_COLUMNS) {
    const type = EVENTS_V4[column];
    if (type === 'String') row[column] = reader.string();
    else if (type === 'Float64') row[column] = reader.float64();
    else if (type === 'UInt8') row[column] = reader.uint8();
    else row[column] = clickHouseDateTime64(reader.dateTime64());
  }
  if (!reader.done) throw new RangeError('RowBinary: bytes left after the row');
  return row as EventRow;
}

/**
 * The link an event makes between a device and a user: `alias` links the previous id to the
 * user id; any other event carrying both an anonymous id and a user id links those two —
 * `identify`, and every later event of analytics.js, which sends both — so a person's devices
 * are stitched even when the identify itself was lost or falls outside a query's range. The
 * latest link of an anonymous id wins (identityMapQuery). Events with one id link nothing.
 */
export function toIdentityRow(record: LoadableRecord): IdentityRow | undefined {
  const { event } = record;
  const from = event.type === 'alias' ? event.previousId : event.anonymousId;
  if (!from || !event.userId) return undefined;
  return {
    project_id: record.projectId,
    anonymous_id: from,
    user_id: event.userId,
    timestamp: toClickHouseDateTime(record.timestamp, record.receivedAt),
    message_id: event.messageId,
  };
}
