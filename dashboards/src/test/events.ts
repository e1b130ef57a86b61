/** Builders for hand-made rows in tests: every column filled, only what matters spelled out. */
import type { EventRow, IdentityRow } from '@waymark/contract/schema';

let sequence = 0;

export function eventRow(
  fields: Partial<EventRow> & Pick<EventRow, 'anonymous_id' | 'timestamp'>,
): EventRow {
  sequence += 1;
  return {
    project_id: 'p1',
    message_id: `m${sequence}`,
    type: 'page',
    event: '',
    user_id: '',
    session_id: '',
    sent_at: fields.timestamp,
    received_at: fields.timestamp,
    session_channel: 'direct',
    session_source: '',
    session_medium: '',
    session_campaign: '',
    session_term: '',
    session_content: '',
    session_click_id_type: '',
    session_referrer_host: '',
    first_channel: 'direct',
    first_source: '',
    first_medium: '',
    first_campaign: '',
    first_term: '',
    first_content: '',
    first_click_id_type: '',
    first_referrer_host: '',
    page_url: '',
    page_path: '',
    page_title: '',
    page_referrer: '',
    referrer_host: '',
    revenue: 0,
    currency: '',
    order_id: '',
    browser: '',
    browser_version: '',
    os: '',
    device_type: 'desktop',
    locale: '',
    ip: '',
    is_bot: 0,
    library: '',
    properties: '{}',
    traits: '{}',
    ...fields,
  };
}

export function identityRow(
  fields: Pick<IdentityRow, 'anonymous_id' | 'user_id' | 'timestamp'> & Partial<IdentityRow>,
): IdentityRow {
  sequence += 1;
  return { project_id: 'p1', message_id: `i${sequence}`, ...fields };
}

/** A session: every event shares the anonymous id, session id and touch columns. */
export function session(
  common: Partial<EventRow> & Pick<EventRow, 'anonymous_id' | 'session_id'>,
  events: (Partial<EventRow> & Pick<EventRow, 'timestamp'>)[],
): EventRow[] {
  return events.map((e) => eventRow({ ...common, ...e }));
}
