import type { ChannelTouch } from '@waymark/sdk/wire';
import { commerceFields } from './commerce.js';
import type { LoadableRecord } from './record-schema.js';
import type { EventRow, IdentityRow } from './schema/columns.js';
import { hostOf, pathOf } from './url-parts.js';
import { parseUserAgent } from './user-agent.js';

/**
 * ISO-8601 → 'YYYY-MM-DD hh:mm:ss' UTC, the DateTime text ClickHouse 18.16 parses. Callers pass
 * validated instants; an unparsable one falls back to `fallback` so a row is never dropped.
 */
export function toClickHouseDateTime(iso: string | null | undefined, fallback: string): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  const date = new Date(Number.isFinite(ms) ? ms : Date.parse(fallback));
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

type TouchField =
  | 'channel'
  | 'source'
  | 'medium'
  | 'campaign'
  | 'term'
  | 'content'
  | 'click_id_type'
  | 'referrer_host';

function touchColumns<P extends 'session' | 'first'>(prefix: P, touch: ChannelTouch) {
  return {
    [`${prefix}_channel`]: touch.channel,
    [`${prefix}_source`]: touch.source,
    [`${prefix}_medium`]: touch.medium,
    [`${prefix}_campaign`]: touch.campaign,
    [`${prefix}_term`]: touch.term,
    [`${prefix}_content`]: touch.content,
    [`${prefix}_click_id_type`]: touch.clickIdType,
    [`${prefix}_referrer_host`]: touch.referrerHost,
  } as Pick<EventRow, `${P}_${TouchField}`>;
}

/**
 * A validated record → one events row, enriched: user agent → browser / OS / device / bot,
 * page referrer → host, URL → path, e-commerce properties → revenue / currency / order id.
 * Pure and deterministic, so a replayed message yields a byte-identical row.
 */
export function toEventRow(record: LoadableRecord): EventRow {
  const { event } = record;
  const context = event.context;
  const page = context?.page;
  const properties = event.properties ?? {};
  const sentAt = event.sentAt && Number.isFinite(Date.parse(event.sentAt)) ? event.sentAt : null;
  return {
    project_id: record.projectId,
    message_id: event.messageId,
    type: event.type,
    event: event.event ?? event.name ?? '',
    anonymous_id: event.anonymousId ?? '',
    user_id: event.userId ?? '',
    session_id: context?.waymark?.sessionId ?? '',
    timestamp: toClickHouseDateTime(record.timestamp, record.receivedAt),
    sent_at: toClickHouseDateTime(sentAt, record.receivedAt),
    received_at: toClickHouseDateTime(record.receivedAt, record.receivedAt),
    ...touchColumns('session', record.sessionTouch),
    ...touchColumns('first', record.firstTouch),
    page_url: page?.url ?? '',
    page_path: pathOf(page?.path, page?.url),
    page_title: page?.title ?? '',
    page_referrer: page?.referrer ?? '',
    referrer_host: hostOf(page?.referrer),
    ...commerceFields(properties),
    ...parseUserAgent(context?.userAgent),
    locale: context?.locale ?? '',
    ip: record.ip,
    library: context?.library ? `${context.library.name}/${context.library.version}` : '',
    properties: JSON.stringify(properties),
    traits: JSON.stringify(event.traits ?? {}),
  };
}

/**
 * `identify` links the anonymous id to the user id; `alias` links the previous id to the user
 * id. Other events (and an identify without an anonymous id) link nothing.
 */
export function toIdentityRow(record: LoadableRecord): IdentityRow | undefined {
  const { event } = record;
  const from =
    event.type === 'identify' ? event.anonymousId : event.type === 'alias' ? event.previousId : '';
  if (!from || !event.userId) return undefined;
  return {
    project_id: record.projectId,
    anonymous_id: from,
    user_id: event.userId,
    timestamp: toClickHouseDateTime(record.timestamp, record.receivedAt),
    message_id: event.messageId,
  };
}
