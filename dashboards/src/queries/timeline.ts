/**
 * Device timelines and sessions for every source, computed at query time from the stored events.
 *
 * Why at query time: a session is a function of *all* of a device's events — a late or
 * out-of-order event can merge two sessions (it fills the gap between them) or split one (it
 * carries a new campaign). Sessions stored when events load would depend on arrival order;
 * computed here from the deduplicated set of events in time order, they are the same for a clean
 * stream, a replay, duplicates and late arrival, and a changed timeout applies to history.
 *
 * The rule (the SDK's, sdk/src/core/session.ts, applied server-side): per device, events in
 * (timestamp, message) order; a session starts at the first event, after more than the
 * project's timeout of inactivity, or at an event whose touch carries attribution (a campaign,
 * an ad click, an external referrer: a key of source|medium|campaign|term|content) different from
 * the current session's — the last such key seen in it. Touch-less events (server-side tracks
 * and identifies: no page, no campaign) join the session they fall in and keep it alive; a
 * session's channel is that of its first touch-bearing event, and a session without one is no
 * touch. Events of the Waymark SDK keep the SDK's own session id and session touch.
 *
 * One row per (device, SDK or not) with the device's events deduplicated (the earliest copy of
 * each message) and sorted, as parallel arrays: times `t` (epoch ms), messages `m`, flags `f`
 * (FLAG bits), session index `s` (1, 2, … in order of start), own-touch channels `c`, and
 * revenue `v` when asked. Array lambdas here never capture another array (ClickHouse would copy
 * it once per element): they zip arrays of equal length instead.
 */
import { DEVICE_KEY_SQL } from '@waymark/contract/schema';
import type { SqlParams } from '../sql/params.js';
import { eventConditions, type QueryTarget, tableOf } from './base.js';
import type { Scope } from './scope.js';
import { type StageRules, stagePredicates } from './stages.js';

/** Bits of an event's flags: which stage rules it meets and what kind of event it is. */
export const FLAG = {
  awareness: 0,
  engagement: 1,
  transaction: 2,
  retention: 3,
  page: 4,
  /** A visit: TOUCH_BEARING_SQL. */
  touch: 5,
} as const;

/** `bitTest(<flags>, bit)`: SQL for "the event has this flag". */
export const hasFlag = (flags: string, flag: keyof typeof FLAG) =>
  `bitTest(${flags}, ${FLAG[flag]})`;

/**
 * Events that are a visit: every event of the Waymark SDK (it runs in the page), and of other
 * libraries a page or screen view or any event with a page URL / referrer or a non-direct
 * touch — not a server-side call without page context.
 */
export const TOUCH_BEARING_SQL =
  "session_id != '' OR type IN ('page', 'screen') OR page_url != '' OR page_referrer != '' OR session_channel != 'direct'";

/**
 * Each event's rank among the events with `flag` in its own session (1 for the first; an event
 * without the flag ranks among the others without it, so test the flag too), over a timeline's
 * arrays `s` and `f`.
 */
export const rankInSessionSql = (flag: keyof typeof FLAG) =>
  `arrayEnumerateUniq(arrayMap((ss, fl) -> if(${hasFlag('fl', flag)}, ss, 0), s, f))`;

/**
 * The attribution key of an event's own touch: 0 for direct (no campaign, click id or external
 * referrer); for SDK events the SDK's session id instead, which alone decides their sessions.
 */
const SESSION_KEY = `if(session_id != '', cityHash64(session_id),
      if(session_channel = 'direct', 0, cityHash64(session_source, session_medium, session_campaign, session_term, session_content)))`;

/** The attributes of a person's entry: their earliest touch-bearing event's. */
export const ENTRY_COLUMNS = [
  'first_channel',
  'first_campaign',
  'session_channel',
  'session_campaign',
  'device_type',
] as const;

export interface TimelineOptions {
  /** Events read (attribution reads a lookback before the scope). */
  range: { start: string; end: string };
  /** The project's session timeout. */
  sessionTimeoutMs: number;
  /** Also carry each event's revenue (`v`). */
  revenue?: boolean;
}

/**
 * One row per device and source kind: `device`, `user_only` (keyed by a user id: no anonymous
 * id), the arrays described in the file comment, and the entry attributes (ENTRY_COLUMNS, from
 * the earliest touch-bearing event; `entry_at` its time, 0: none).
 */
export function timelinesSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: TimelineOptions,
): string {
  const p = stagePredicates(params, rules);
  const timeout = params.int64(options.sessionTimeoutMs, 'timeout');
  const flags = [
    `toUInt8(${p.awareness})`,
    `bitShiftLeft(toUInt8(${p.engagementEvent}), ${FLAG.engagement})`,
    `bitShiftLeft(toUInt8(${p.transaction}), ${FLAG.transaction})`,
    `bitShiftLeft(toUInt8(${p.retention}), ${FLAG.retention})`,
    `bitShiftLeft(toUInt8(type = 'page'), ${FLAG.page})`,
    `bitShiftLeft(toUInt8(${TOUCH_BEARING_SQL}), ${FLAG.touch})`,
  ].join(' + ');
  const revenue = options.revenue ? ', revenue' : '';
  const entry = ENTRY_COLUMNS.map((c) => `argMinIf(${c}, timestamp, touch) AS entry_${c}`).join(
    ',\n    ',
  );
  return `SELECT
    device, sdk, user_only,
    arraySort(groupArray((ms, msg, flags, key, channel${revenue}))) AS copies,
    arrayFilter((x, n) -> n = 1, copies, arrayEnumerateUniq(arrayMap(x -> x.2, copies))) AS ev,
    arrayMap(x -> x.1, ev) AS t,
    arrayMap(x -> x.2, ev) AS m,
    arrayMap(x -> x.3, ev) AS f,
    arrayMap(x -> x.5, ev) AS c,${options.revenue ? '\n    arrayMap(x -> x.6, ev) AS v,' : ''}
    arrayMap(x -> x.4, ev) AS k,
    arrayMap((d, i) -> i = 1 OR d > ${timeout}, arrayDifference(t), arrayEnumerate(t)) AS gap,
    arrayFill(x -> x != 0, arrayMap((kk, g) -> if(kk != 0, kk, toUInt64(g)), k, gap)) AS held,
    arrayMap((kk, g, before) -> g OR (kk != 0 AND kk != before), k, gap, arrayPushFront(arrayPopBack(held), toUInt64(1))) AS starts,
    arrayEnumerateDense(if(sdk, k, arrayCumSum(arrayMap(x -> toUInt64(x), starts)))) AS s,
    toInt64(minIf(ms, touch)) AS entry_at,
    ${entry}
  FROM (
    SELECT
      ${DEVICE_KEY_SQL} AS device,
      session_id != '' AS sdk,
      anonymous_id = '' AS user_only,
      toUnixTimestamp64Milli(toDateTime64(timestamp, 3)) AS ms,
      cityHash64(message_id) AS msg,
      toUInt8(${flags}) AS flags,
      ${SESSION_KEY} AS key,
      session_channel AS channel,
      ${hasFlag('flags', 'touch')} AS touch,
      timestamp${revenue},
      ${ENTRY_COLUMNS.join(', ')}
    FROM ${tableOf(target)}
    WHERE ${eventConditions(params, target, scope, options.range)}
  )
  GROUP BY device, sdk, user_only`;
}

/**
 * The touches and conversions of timelines (a `timelinesSql` row source, with revenue): one row
 * per device with `d_touches`, (start ms, channel) of each session that has a touch-bearing
 * event — its channel that event's — and `d_convs`, its conversions within `conversions` as (ms,
 * message, revenue), plus the device's entry (`entry_at`, `entry_first_channel`,
 * `entry_first_campaign`). All in arrays, without unrolling the events: a session's start is the
 * time of its first event, carried forward over the rest of it (`arrayFill`); the sessions
 * computed here are contiguous by construction, and an SDK session's first touch-bearing event
 * is its first event, so the start read there is exact either way.
 */
export function deviceTouchesSql(
  params: SqlParams,
  timelines: string,
  conversions: { startMs: number; endMs: number },
): string {
  const from = params.int64(conversions.startMs, 'convstart');
  const to = params.int64(conversions.endMs, 'convend');
  return `SELECT
    device, user_only, entry_at, entry_first_channel, entry_first_campaign,
    arrayFill((x, n) -> n = 1, t, arrayEnumerateUniq(s)) AS starts_at,
    ${rankInSessionSql('touch')} AS touch_nth,
    arrayFilter((x, fl, n) -> ${hasFlag('fl', 'touch')} AND n = 1, arrayZip(starts_at, c), f, touch_nth) AS d_touches,
    arrayFilter((x, fl, tt) -> ${hasFlag('fl', 'transaction')} AND tt >= ${from} AND tt < ${to}, arrayZip(t, m, v), f, t) AS d_convs
  FROM (
${timelines}
  )`;
}
