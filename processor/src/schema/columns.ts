/**
 * The ClickHouse tables' names and columns: the one place the query layer (dashboards/) reads
 * them from. The migrations in migrations.ts create exactly these.
 *
 * Timestamps are `DateTime64(3, 'UTC')` columns (migration 4), written and read as
 * 'YYYY-MM-DD hh:mm:ss.sss' UTC strings, so events within one second keep their order.
 * Absent strings are '' and absent numbers 0 (no Nullable: it costs space and speed in scans).
 */
export const TABLES = {
  events: 'events',
  identities: 'identities',
  /** Rollup of events per project, day, device and event kind (migration 3), for the funnel. */
  journeyDays: 'journey_days',
  /** Entry-touch hash → its channel, campaign and device columns (migration 3). */
  entryTouches: 'entry_touches',
  migrations: 'schema_migrations',
} as const;

/** One row of the events table, as inserted with JSONEachRow. */
export interface EventRow {
  project_id: string;
  message_id: string;
  /** track | page | screen | identify | alias | group */
  type: string;
  /** `track`: the event name; `page`/`screen`: the page name. */
  event: string;
  anonymous_id: string;
  user_id: string;
  session_id: string;
  /** When it happened, corrected for client clock skew. */
  timestamp: string;
  sent_at: string;
  received_at: string;

  /** The touch that started the session (server-side classification). */
  session_channel: string;
  session_source: string;
  session_medium: string;
  session_campaign: string;
  session_term: string;
  session_content: string;
  session_click_id_type: string;
  session_referrer_host: string;

  /** The person's first touch (server-side classification). */
  first_channel: string;
  first_source: string;
  first_medium: string;
  first_campaign: string;
  first_term: string;
  first_content: string;
  first_click_id_type: string;
  first_referrer_host: string;

  page_url: string;
  page_path: string;
  page_title: string;
  page_referrer: string;
  /** Host of this page's referrer. */
  referrer_host: string;

  /** From standard e-commerce properties (revenue / total / value), 0 when none. */
  revenue: number;
  currency: string;
  order_id: string;

  browser: string;
  browser_version: string;
  os: string;
  /** desktop | mobile | tablet | bot | other */
  device_type: string;
  locale: string;
  /** Anonymized unless the project keeps IPs. */
  ip: string;
  /** 1 when the user agent is a known bot. */
  is_bot: number;
  library: string;

  /** The remaining properties / traits as JSON strings (query with visitParamExtract*). */
  properties: string;
  traits: string;
}

/** One row of the identities table: an anonymous id seen as a user id (identify, alias). */
export interface IdentityRow {
  project_id: string;
  anonymous_id: string;
  user_id: string;
  /** When the link was made. */
  timestamp: string;
  message_id: string;
}

export const EVENT_COLUMNS = [
  'project_id',
  'message_id',
  'type',
  'event',
  'anonymous_id',
  'user_id',
  'session_id',
  'timestamp',
  'sent_at',
  'received_at',
  'session_channel',
  'session_source',
  'session_medium',
  'session_campaign',
  'session_term',
  'session_content',
  'session_click_id_type',
  'session_referrer_host',
  'first_channel',
  'first_source',
  'first_medium',
  'first_campaign',
  'first_term',
  'first_content',
  'first_click_id_type',
  'first_referrer_host',
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
] as const satisfies readonly (keyof EventRow)[];
