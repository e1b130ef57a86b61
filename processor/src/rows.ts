import type { CollectedEvent } from '@waymark/collector/record';
import type { ChannelTouch } from '@waymark/sdk/wire';
import type { EventRow } from './schema/columns.js';

/** ClickHouse 18.16 parses DateTime from 'YYYY-MM-DD hh:mm:ss' (UTC server). */
export function toClickHouseDateTime(iso: string | undefined): string {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  const date = Number.isNaN(ms) ? new Date(0) : new Date(ms);
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

// Skeleton mapping: the processor issue adds user-agent, bot and e-commerce enrichment.
export function toEventRow(record: CollectedEvent): EventRow {
  const { event } = record;
  const page = event.context?.page;
  return {
    project_id: record.projectId,
    message_id: event.messageId,
    type: event.type,
    event: event.event ?? event.name ?? '',
    anonymous_id: event.anonymousId ?? '',
    user_id: event.userId ?? '',
    session_id: event.context?.waymark?.sessionId ?? '',
    timestamp: toClickHouseDateTime(record.timestamp),
    sent_at: toClickHouseDateTime(event.sentAt ?? record.receivedAt),
    received_at: toClickHouseDateTime(record.receivedAt),
    ...touchColumns('session', record.sessionTouch),
    ...touchColumns('first', record.firstTouch),
    page_url: page?.url ?? '',
    page_path: page?.path ?? '',
    page_title: page?.title ?? '',
    page_referrer: page?.referrer ?? '',
    referrer_host: '',
    revenue: 0,
    currency: '',
    order_id: '',
    browser: '',
    browser_version: '',
    os: '',
    device_type: '',
    locale: event.context?.locale ?? '',
    ip: record.ip,
    is_bot: 0,
    library: event.context?.library
      ? `${event.context.library.name}/${event.context.library.version}`
      : '',
    properties: JSON.stringify(event.properties ?? {}),
    traits: JSON.stringify(event.traits ?? {}),
  };
}
