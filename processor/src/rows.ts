import { pageOf } from '@waymark/contract/page';
import type { LoadableRecord } from '@waymark/contract/record';
import { isStorableInstant, utcSecondOf } from '@waymark/contract/record';
import type { EventRow, IdentityRow } from '@waymark/contract/schema';
import type { ChannelTouch } from '@waymark/contract/wire';
import { clickHouseDateTime, clickHouseDateTime64 } from '@waymark/kit/clickhouse-time';
import { memoize } from '@waymark/kit/memo';
import { commerceFields } from './commerce.js';
import { hostOf, pathOf } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

// 'YYYY-MM-DD hh:mm:ss' of a whole second, memoised: events arrive close together, so the
// second is mostly a hit and only the milliseconds are appended per row.
const secondText = memoize((isoSecond: string) => {
  const ms = Date.parse(`${isoSecond}Z`);
  return Number.isFinite(ms) ? clickHouseDateTime(ms) : '';
}, 5000);

/** Milliseconds of an ISO fraction ('' or '.d…'), truncated to three digits as Date.parse does. */
function millisText(fraction: string): string {
  return `${fraction.slice(1, 4)}000`.slice(0, 3);
}

/** The DateTime64(3) text of an instant Date.parse accepts, or '' when it does not. */
function dateTimeText(iso: string): string {
  const second = utcSecondOf(iso);
  // Hour 24 is valid only as 24:00:00 exactly, which Date.parse alone decides.
  if (second !== undefined && !second.endsWith('T24', 13)) {
    const text = secondText(second);
    // The fraction sits between the second and the 'Z'.
    return text === '' ? '' : `${text}.${millisText(iso.slice(19, -1))}`;
  }
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? clickHouseDateTime64(ms) : '';
}

/**
 * ISO-8601 → 'YYYY-MM-DD hh:mm:ss.sss' UTC, the text a `DateTime64(3, 'UTC')` column parses
 * exactly (the instant to the millisecond, as Date.parse reads it). Callers pass validated
 * instants; an unparsable one falls back to `fallback` so a row is never dropped.
 */
export function toClickHouseDateTime(iso: string | null | undefined, fallback: string): string {
  const text = (iso && dateTimeText(iso)) || dateTimeText(fallback);
  if (text === '') throw new RangeError(`not an instant: ${fallback}`);
  return text;
}

type SharedColumn =
  | keyof ReturnType<typeof recordColumns>
  | keyof ReturnType<typeof sessionColumns>
  | keyof ReturnType<typeof firstColumns>;

/** The columns that differ from event to event (the rest: `recordColumns`, `touchColumns`). */
type OwnColumns = Omit<EventRow, SharedColumn>;

function ownColumns(record: LoadableRecord): OwnColumns {
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
    timestamp: toClickHouseDateTime(record.timestamp, receivedAt),
    // sentAt is unvalidated client text: one that is unparsable, or outside what every
    // timestamp column holds (year 1, year 9999: servers clamp those, each release its own
    // way), falls back to receivedAt.
    sent_at: toClickHouseDateTime(
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
 * Pure and deterministic, so a replayed message yields a byte-identical row.
 */
export function toEventRow(record: LoadableRecord): EventRow {
  return {
    ...recordColumns(record),
    ...ownColumns(record),
    ...sessionColumns(record.sessionTouch),
    ...firstColumns(record.firstTouch),
  };
}

// The JSON of the columns an event shares with the others of its record: written once per
// record (project, receivedAt) and once per touch (the touches are the record's shared objects).
const recordJson = new WeakMap<object, string>();
const sessionJson = new WeakMap<ChannelTouch, string>();
const firstJson = new WeakMap<ChannelTouch, string>();

function fragment<K extends object>(cache: WeakMap<K, string>, key: K, columns: () => object) {
  let json = cache.get(key);
  if (json === undefined) {
    json = JSON.stringify(columns()).slice(1, -1);
    cache.set(key, json);
  }
  return json;
}

/**
 * The events row of `toEventRow` as a JSONEachRow line (same columns and values, in another
 * order, which JSONEachRow does not mind): the columns an event shares with the rest of its
 * record are serialized once per record and touch, not once per event. `shared` is the object
 * the record's events share (the processor passes the parsed envelope).
 */
export function eventLine(record: LoadableRecord, shared: object): string {
  const own = JSON.stringify(ownColumns(record));
  const head = fragment(recordJson, shared, () => recordColumns(record));
  const session = fragment(sessionJson, record.sessionTouch, () =>
    sessionColumns(record.sessionTouch),
  );
  const first = fragment(firstJson, record.firstTouch, () => firstColumns(record.firstTouch));
  return `{${head},${session},${first},${own.slice(1)}\n`;
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
