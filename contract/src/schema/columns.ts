/**
 * The ClickHouse tables' names and columns, defined once: each table's columns are a frozen
 * list of name → ClickHouse type per schema version, from which the migrations' DDL
 * (`columnsDdl`), the row types (`EventRow`, `IdentityRow`) and the column lists
 * (`EVENT_COLUMNS`) are derived. A shipped version's list is never edited (the migrations are
 * append-only); a new shape is a new list, usually the previous one with some types changed.
 * schema.integration.test.ts checks that what ClickHouse reports after each migration is
 * exactly its version's list, names, types and order.
 *
 * Timestamps are `DateTime64(3, 'UTC')` columns (migration 4), written and read as
 * 'YYYY-MM-DD hh:mm:ss.sss' UTC strings, so events within one second keep their order.
 * Absent strings are '' and absent numbers 0 (no Nullable: it costs space and speed in scans).
 */
import { ENTRY_COLUMNS } from './timeline.js';

export const TABLES = {
  events: 'events',
  identities: 'identities',
  /** Rollup of events per project, day, device and event kind (migrations 3–4; dropped by 5). */
  journeyDays: 'journey_days',
  /** Entry-touch hash → its channel, campaign and device columns (migrations 3–4; dropped by 5). */
  entryTouches: 'entry_touches',
  /** Ids erased people may never be stored under again, as hashes (migration 6). */
  suppressions: 'suppressions',
  /** The audit trail of erasures: who, when, how many rows — no personal data (migration 6). */
  erasures: 'erasures',
  /** Each device's timeline, computed once (migration 7, summaries.ts). */
  deviceSummaries: 'device_summaries',
  /** The devices each insert into events touched (migration 7, summaries.ts). */
  deviceChanges: 'device_changes',
  /** Per project, the change time up to which every device is summarized (migration 7). */
  summaryProgress: 'summary_progress',
  migrations: 'schema_migrations',
} as const;

/** Milliseconds in UTC: the timestamp type from migration 4 on. */
export const UTC_MS = "DateTime64(3, 'UTC')";

/** The ClickHouse types of plain columns, and how a JSONEachRow row carries each. */
interface Plain {
  String: string;
  Float64: number;
  UInt8: number;
  UInt32: number;
  UInt64: number;
  Date: string;
  DateTime: string;
  [UTC_MS]: string;
  'Array(String)': string[];
}

/** A table's columns at one schema version: name → ClickHouse type, in table order. */
export type Columns = Readonly<Record<string, string>>;

/** The row of a table with these columns, as inserted and read with JSONEachRow. */
export type RowOf<C extends Columns> = {
  -readonly [K in keyof C]: C[K] extends keyof Plain ? Plain[C[K]] : unknown;
};

/** The column list of a DDL statement: `name Type` per column, one a line. */
export function columnsDdl(columns: Columns): string {
  return Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(',\n        ');
}

type TouchPart =
  | 'channel'
  | 'source'
  | 'medium'
  | 'campaign'
  | 'term'
  | 'content'
  | 'click_id_type'
  | 'referrer_host';

/** The eight columns of a classified touch (`ChannelTouch`), under a prefix. */
const touch = <P extends string>(prefix: P) =>
  ({
    [`${prefix}_channel`]: 'String',
    [`${prefix}_source`]: 'String',
    [`${prefix}_medium`]: 'String',
    [`${prefix}_campaign`]: 'String',
    [`${prefix}_term`]: 'String',
    [`${prefix}_content`]: 'String',
    [`${prefix}_click_id_type`]: 'String',
    [`${prefix}_referrer_host`]: 'String',
  }) as { [K in `${P}_${TouchPart}`]: 'String' };

/** events as migration 1 created it (second timestamps). */
export const EVENTS_V1 = Object.freeze({
  project_id: 'String',
  message_id: 'String',
  /** track | page | screen | identify | alias | group */
  type: 'String',
  /** `track`: the event name; `page`/`screen`: the page name. */
  event: 'String',
  anonymous_id: 'String',
  user_id: 'String',
  session_id: 'String',
  /** When it happened, corrected for client clock skew. */
  timestamp: 'DateTime',
  sent_at: 'DateTime',
  received_at: 'DateTime',
  /** The touch that started the session (server-side classification). */
  ...touch('session'),
  /** The person's first touch (server-side classification). */
  ...touch('first'),
  page_url: 'String',
  page_path: 'String',
  page_title: 'String',
  page_referrer: 'String',
  /** Host of this page's referrer. */
  referrer_host: 'String',
  /** From standard e-commerce properties (revenue / total / value), 0 when none. */
  revenue: 'Float64',
  currency: 'String',
  order_id: 'String',
  browser: 'String',
  browser_version: 'String',
  os: 'String',
  /** desktop | mobile | tablet | bot | other */
  device_type: 'String',
  locale: 'String',
  /** Anonymized unless the project keeps IPs. */
  ip: 'String',
  /** 1 when the user agent is a known bot. */
  is_bot: 'UInt8',
  library: 'String',
  /** The remaining properties / traits as JSON strings (query with visitParamExtract*). */
  properties: 'String',
  traits: 'String',
} as const);

/** events from migration 4 on: millisecond timestamps, same columns in the same order. */
export const EVENTS_V4 = Object.freeze({
  ...EVENTS_V1,
  timestamp: UTC_MS,
  sent_at: UTC_MS,
  received_at: UTC_MS,
} as const);

/** identities as migration 2 created it: an anonymous id seen as a user id (identify, alias). */
export const IDENTITIES_V2 = Object.freeze({
  project_id: 'String',
  anonymous_id: 'String',
  user_id: 'String',
  /** When the link was made. */
  timestamp: 'DateTime',
  message_id: 'String',
} as const);

/** identities from migration 4 on (the timestamp column altered in place). */
export const IDENTITIES_V4 = Object.freeze({ ...IDENTITIES_V2, timestamp: UTC_MS } as const);

const journeyDays = <T extends string>(time: T) =>
  ({
    project_id: 'String',
    day: 'Date',
    device: 'UInt64',
    is_bot: 'UInt8',
    device_type: 'String',
    type: 'String',
    track_event: 'String',
    first_at: `AggregateFunction(min, ${time})`,
    entry_touch: `AggregateFunction(argMin, UInt64, ${time})`,
    page_sessions: 'AggregateFunction(groupArray, UInt64)',
    page_times: 'AggregateFunction(groupArray, UInt32)',
    page_messages: 'AggregateFunction(groupArray, UInt64)',
  }) as const;

/** journey_days as migration 3 created it (states over DateTime). */
export const JOURNEY_DAYS_V3 = Object.freeze(journeyDays('DateTime'));
/** journey_days from migration 4 on (states over DateTime64(3)). */
export const JOURNEY_DAYS_V4 = Object.freeze(journeyDays(UTC_MS));

/** entry_touches as migration 3 created it (unchanged since). */
export const ENTRY_TOUCHES_V3 = Object.freeze({
  project_id: 'String',
  touch: 'UInt64',
  first_channel: 'String',
  first_campaign: 'String',
  session_channel: 'String',
  session_campaign: 'String',
  device_type: 'String',
} as const);

/** suppressions as migration 6 created it. */
export const SUPPRESSIONS_V6 = Object.freeze({
  project_id: 'String',
  /** anonymous | user: which kind of id the hash is of. */
  id_kind: 'String',
  /** idHash(project, kind, id) (erasure.ts): the id itself is never stored. */
  id_hash: 'String',
  suppressed_at: UTC_MS,
  erasure_id: 'String',
} as const);

/** erasures as migration 6 created it. */
export const ERASURES_V6 = Object.freeze({
  erasure_id: 'String',
  project_id: 'String',
  /** Who asked: the CLI's operator name or the admin API's key label. */
  requested_by: 'String',
  requested_at: UTC_MS,
  finished_at: UTC_MS,
  /** The person's ids found (anonymous and user), as hashes: never the ids. */
  id_hashes: 'Array(String)',
  event_rows: 'UInt64',
  identity_rows: 'UInt64',
} as const);

/** device_summaries as migration 7 created it: one row per (device, SDK or not) and version. */
export const DEVICE_SUMMARIES_V7 = Object.freeze({
  project_id: 'String',
  device: 'UInt64',
  /** 1: the Waymark SDK's events of the device (their sessions are the SDK's). */
  sdk: 'UInt8',
  /** 1: keyed by a user id (the events carry no anonymous id). */
  user_only: 'UInt8',
  /** The anonymous id, or the user id when user_only. */
  device_id: 'String',
  /** The device's summary rows: 2 when it has SDK events and others, else 1. */
  kinds: 'UInt8',
  /** The end of the summarizer's window (epoch ms): the newest row of a device wins. */
  version: 'UInt64',
  /** The session timeout the sessions were computed with. */
  timeout_ms: 'UInt64',
  /** The earliest and latest event. */
  min_at: UTC_MS,
  max_at: UTC_MS,
  /** Per event, deduplicated and in (time, message) order: ms, message hash, session index. */
  t: 'Array(Int64)',
  m: 'Array(UInt64)',
  s: 'Array(UInt32)',
  /** Type; a track event's name key (event-name.ts; '' for other types). */
  y: 'Array(LowCardinality(String))',
  n: 'Array(LowCardinality(String))',
  /** 1: a visit (timeline.ts, TOUCH_BEARING_SQL). */
  touch: 'Array(UInt8)',
  /** Session channel, revenue, and the step label (page path for pages, else the name). */
  c: 'Array(LowCardinality(String))',
  v: 'Array(Float64)',
  l: 'Array(LowCardinality(String))',
  /**
   * The funnel's share, a few elements per device: per distinct (type, name key, UTC day) the
   * first event's ms — stage moments and return days under any rules — and per rank r (up to
   * SUMMARY_PAGE_RANKS) the earliest r-th page view of any one session.
   */
  kt: 'Array(LowCardinality(String))',
  kn: 'Array(LowCardinality(String))',
  ka: 'Array(Int64)',
  nth_page_at: 'Array(Int64)',
  /** The entry: the earliest visit's time (0: none) and attributes. */
  entry_at: 'Int64',
  ...(Object.fromEntries(
    ENTRY_COLUMNS.map((c) => [`entry_${c}`, 'LowCardinality(String)']),
  ) as Record<`entry_${(typeof ENTRY_COLUMNS)[number]}`, 'LowCardinality(String)'>),
} as const);

/** device_changes as migration 7 created it: a device touched by an insert into events. */
export const DEVICE_CHANGES_V7 = Object.freeze({
  project_id: 'String',
  changed_at: UTC_MS,
  device: 'UInt64',
  device_id: 'String',
  user_only: 'UInt8',
} as const);

/** summary_progress as migration 7 created it: every change up to `watermark` is summarized. */
export const SUMMARY_PROGRESS_V7 = Object.freeze({
  project_id: 'String',
  watermark: UTC_MS,
} as const);

/** Every table's columns in the current schema (the latest migration). */
export const CURRENT_COLUMNS = Object.freeze({
  [TABLES.events]: EVENTS_V4,
  [TABLES.identities]: IDENTITIES_V4,
  [TABLES.suppressions]: SUPPRESSIONS_V6,
  [TABLES.erasures]: ERASURES_V6,
  [TABLES.deviceSummaries]: DEVICE_SUMMARIES_V7,
  [TABLES.deviceChanges]: DEVICE_CHANGES_V7,
  [TABLES.summaryProgress]: SUMMARY_PROGRESS_V7,
});

export type SuppressionRow = RowOf<typeof SUPPRESSIONS_V6>;
export type ErasureRow = RowOf<typeof ERASURES_V6>;

/** One row of the events table, as inserted with JSONEachRow. */
export type EventRow = RowOf<typeof EVENTS_V4>;

/** One row of the identities table: an anonymous id seen as a user id (identify, alias). */
export type IdentityRow = RowOf<typeof IDENTITIES_V4>;

/** The events table's columns, in table order. */
export const EVENT_COLUMNS = Object.freeze(Object.keys(EVENTS_V4)) as readonly (keyof EventRow)[];
