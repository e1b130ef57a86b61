/**
 * Device timelines and their sessions, as SQL over events rows — one definition for the
 * summaries the processor stores (summaries.ts) and the timelines the dashboards compute from
 * raw events when no summary can answer (dashboards/src/queries/timeline.ts).
 *
 * Why sessions are computed, not taken from the events as loaded: a session is a function of
 * *all* of a device's events — a late or out-of-order event can merge two sessions (it fills
 * the gap between them) or split one (it carries a new campaign). Computed from the
 * deduplicated set of a device's events in time order, they are the same for a clean stream, a
 * replay, duplicates and late arrival.
 *
 * The rule (the SDK's, sdk/src/core/session.ts, applied server-side): per device, events in
 * (timestamp, message) order; a session starts at the first event, after more than the
 * project's timeout of inactivity, or at an event whose touch carries attribution (a campaign,
 * an ad click, an external referrer: a key of source|medium|campaign|term|content) different from
 * the current session's — the last such key seen in it. Touch-less events (server-side tracks
 * and identifies: no page, no campaign) join the session they fall in and keep it alive. Events
 * of the Waymark SDK keep the SDK's own session id. Array lambdas never capture another array
 * (ClickHouse would copy it once per element): they zip arrays of equal length instead.
 */
import { DEVICE_KEY_SQL } from './keys.js';

/**
 * Events that are a visit: every event of the Waymark SDK (it runs in the page), and of other
 * libraries a page or screen view or any event with a page URL / referrer or a non-direct
 * touch — not a server-side call without page context.
 */
export const TOUCH_BEARING_SQL =
  "session_id != '' OR type IN ('page', 'screen') OR page_url != '' OR page_referrer != '' OR session_channel != 'direct'";

/**
 * The attribution key of an event's own touch: 0 for direct (no campaign, click id or external
 * referrer); for SDK events the SDK's session id instead, which alone decides their sessions.
 */
const SESSION_KEY_SQL = `if(session_id != '', cityHash64(session_id),
      if(session_channel = 'direct', 0, cityHash64(session_source, session_medium, session_campaign, session_term, session_content)))`;

/** The step label of an events row, what drop-off names a step by: a page's path, else its name. */
export const STEP_LABEL_SQL = "if(type = 'page', page_path, event)";

/** The attributes of a device's entry: its earliest touch-bearing event's. */
export const ENTRY_COLUMNS = [
  'first_channel',
  'first_campaign',
  'session_channel',
  'session_campaign',
  'device_type',
] as const;

/** A value of each event carried along the timeline: `expr` over an events row, as array `as`. */
export interface TimelineField {
  expr: string;
  as: string;
}

export interface TimelineSource {
  /** The events table (or a subquery with its columns). */
  from: string;
  /** Which events rows. */
  where: string;
  /** The session timeout in milliseconds, as SQL (a bound parameter or a literal). */
  timeoutMs: string;
  /** The per-event arrays wanted beside `t` (ms), `m` (message hash) and `s` (session index). */
  fields: readonly TimelineField[];
}

/**
 * One row per (device, SDK or not): `device`, `sdk`, `user_only` (keyed by a user id: no
 * anonymous id), `device_id` (the anonymous id, or the user id when user_only), the device's
 * events deduplicated (the earliest copy of each message) and sorted as parallel arrays — `t`
 * epoch ms, `m` message hashes, `s` the session index (1, 2, … in order of start), and each
 * field — and the entry: `entry_at` (ms of the earliest touch-bearing event, 0: none) and
 * `entry_<column>` for ENTRY_COLUMNS.
 */
export function timelineSql(source: TimelineSource): string {
  const fields = source.fields.map((f, i) => `arrayMap(x -> x.${i + 4}, ev) AS ${f.as}`);
  const carried = source.fields.map((f) => `${f.expr} AS field_${f.as}`);
  const tuple = ['ms', 'msg', 'session_key', ...source.fields.map((f) => `field_${f.as}`)];
  const entry = ENTRY_COLUMNS.map((c) => `argMinIf(${c}, timestamp, touch) AS entry_${c}`);
  return `SELECT
    device, sdk, user_only, any(device_id_) AS device_id,
    arraySort(groupArray((${tuple.join(', ')}))) AS copies,
    arrayFilter((x, n) -> n = 1, copies, arrayEnumerateUniq(arrayMap(x -> x.2, copies))) AS ev,
    arrayMap(x -> x.1, ev) AS t,
    arrayMap(x -> x.2, ev) AS m,
    arrayMap(x -> x.3, ev) AS sk,${fields.map((f) => `\n    ${f},`).join('')}
    arrayMap((d, i) -> i = 1 OR d > ${source.timeoutMs}, arrayDifference(t), arrayEnumerate(t)) AS gap,
    arrayFill(x -> x != 0, arrayMap((kk, g) -> if(kk != 0, kk, toUInt64(g)), sk, gap)) AS held,
    arrayMap((kk, g, before) -> g OR (kk != 0 AND kk != before), sk, gap, arrayPushFront(arrayPopBack(held), toUInt64(1))) AS starts,
    arrayEnumerateDense(if(sdk, sk, arrayCumSum(arrayMap(x -> toUInt64(x), starts)))) AS s,
    toInt64(minIf(ms, touch)) AS entry_at,
    ${entry.join(',\n    ')}
  FROM (
    SELECT
      ${DEVICE_KEY_SQL} AS device,
      session_id != '' AS sdk,
      anonymous_id = '' AS user_only,
      if(anonymous_id != '', anonymous_id, user_id) AS device_id_,
      toUnixTimestamp64Milli(toDateTime64(timestamp, 3)) AS ms,
      cityHash64(message_id) AS msg,
      ${SESSION_KEY_SQL} AS session_key,
      toUInt8(${TOUCH_BEARING_SQL}) AS touch,
      ${[...carried, 'timestamp', ...ENTRY_COLUMNS].join(',\n      ')}
    FROM ${source.from}
    WHERE ${source.where}
  )
  GROUP BY device, sdk, user_only`;
}
