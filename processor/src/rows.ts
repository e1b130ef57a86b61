import type { CollectedEvent } from '@waymark/collector/record';
import type { EventRow } from './schema/columns.js';

/** ClickHouse 18.16 parses DateTime from 'YYYY-MM-DD hh:mm:ss' (UTC server). */
export function toClickHouseDateTime(iso: string): string {
  const ms = Date.parse(iso);
  const date = Number.isNaN(ms) ? new Date(0) : new Date(ms);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function toEventRow(record: CollectedEvent): EventRow {
  const { event } = record;
  return {
    project_id: record.projectId,
    message_id: event.messageId,
    type: event.type,
    event: event.event ?? event.name ?? '',
    anonymous_id: event.anonymousId ?? '',
    user_id: event.userId ?? '',
    timestamp: toClickHouseDateTime(record.timestamp),
    received_at: toClickHouseDateTime(record.receivedAt),
    properties: JSON.stringify(event.properties ?? {}),
  };
}
