/**
 * People and the journey stage each reached, from the processor's `journey_days` rollup (one
 * row per project, day, device, bot flag, device type and event kind; see migration 3) instead
 * of the raw events: the funnel's and drop-off's hot path. Ten million events become a few rows
 * per device-day, grouped by 64-bit hashes rather than strings.
 *
 * Still exact: the rollup's states are duplicate-safe (min / argMin of the earliest copy, page
 * views carrying their message hash, deduplicated below), and the stage rules are evaluated
 * here at query time over the rollup's event kinds, so a changed rule applies to history. The
 * scope's range is whole days and its device and bot filters are rollup keys, so they select
 * exactly the events the same filters on `events` would.
 */
import { TABLES } from '@waymark/contract/schema';
import { sqlIdentifier } from '../sql/escape.js';
import type { SqlParams } from '../sql/params.js';
import {
  deviceIdentitiesSql,
  lookupJoin,
  personConditions,
  projectParam,
  type QueryTarget,
} from './base.js';
import type { Scope } from './scope.js';
import { type StageRules, stagePredicates } from './stages.js';

function table(target: QueryTarget, name: string): string {
  return `${sqlIdentifier(target.database)}.${sqlIdentifier(name)}`;
}

/** 'YYYY-MM-DD 00:00:00' → 'YYYY-MM-DD'; the rollup has days, so ranges must be whole days. */
function dayOf(time: string): string {
  if (!/^\d{4}-\d{2}-\d{2} 00:00:00$/.test(time)) throw new Error(`not a day boundary: ${time}`);
  return time.slice(0, 10);
}

/** The scope's rows of the rollup: project, days, bots and device types. */
function rollupConditions(params: SqlParams, target: QueryTarget, scope: Scope): string {
  const conditions = [
    `project_id = ${projectParam(params, target)}`,
    `day >= ${params.date(dayOf(scope.start), 'startday')}`,
    `day < ${params.date(dayOf(scope.end), 'endday')}`,
  ];
  if (!scope.includeBots) conditions.push('is_bot = 0');
  if (scope.devices.length > 0)
    conditions.push(`device_type IN ${params.strings(scope.devices, 'devices')}`);
  return conditions.join('\n    AND ');
}

/**
 * The N-th distinct page view of any one session (0: none), from the person's page arrays
 * `ps` (session), `pt` (second) and `pm` (message). All three are sorted by (second, message),
 * which orders every element but identical copies, so they stay aligned however the sort
 * breaks ties; the first occurrence of a message is then its earliest copy, and counting
 * occurrences per session in time order finds the N-th view.
 */
function nthPageViewSql(n: string): string {
  return `arraySort((s, t, m) -> (t, m), ps, pt, pm) AS pg_sessions,
    arraySort((t, m) -> (t, m), pt, pm) AS pg_times,
    arrayEnumerateUniq(arraySort((m, t) -> (t, m), pm, pt)) AS pg_copy,
    arrayFilter((s, c) -> c = 1, pg_sessions, pg_copy) AS pg_first_sessions,
    arrayFilter((t, c) -> c = 1, pg_times, pg_copy) AS pg_first_times,
    arrayReduce('min', arrayFilter((t, k) -> k = ${n}, pg_first_times, arrayEnumerateUniq(pg_first_sessions))) AS e_pages`;
}

export interface PeopleOptions {
  /**
   * Also give each person's entry attributes (first_channel, first_campaign, session_channel,
   * campaign, device): a join on the entry touch, skipped when nothing reads them. Always on
   * when the scope filters by channel or campaign.
   */
  attributes?: boolean;
}

/**
 * One row per stitched person (`person`: a hash equal to `cityHash64` of base.ts's
 * PERSON_EXPR): whether identified, the entry attributes of their earliest event in scope, the
 * first moment of each stage as epoch seconds (0: never), and the moments that could count as
 * a return (the first retention-rule event of each day and kind).
 */
export function peopleSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: PeopleOptions = {},
): string {
  const p = stagePredicates(params, rules, 'track_event');
  const pagesOn = rules.engagement.minPageViewsPerSession > 0;
  const having = personConditions(params, scope);
  const attributes = options.attributes || scope.channels.length > 0 || scope.campaigns.length > 0;
  const grouped = `SELECT
      if(id_user != 0, id_user, device) AS person,
      max(id_user != 0) AS identified,
      argMinMerge(entry_touch) AS touch,
      toUInt32(minMergeIf(first_at, ${p.awareness})) AS a,
      toUInt32(minMergeIf(first_at, ${p.engagementEvent})) AS e_event,
      toUInt32(minMergeIf(first_at, ${p.transaction})) AS t,
      groupArrayIf(toUInt32(finalizeAggregation(first_at)), ${p.retention}) AS r_candidates${
        pagesOn
          ? `,
      groupArrayMerge(page_sessions) AS ps,
      groupArrayMerge(page_times) AS pt,
      groupArrayMerge(page_messages) AS pm`
          : ''
      }
    FROM ${lookupJoin(
      {
        sql: `SELECT * FROM ${table(target, TABLES.journeyDays)}
    WHERE ${rollupConditions(params, target, scope)}`,
        alias: 'days',
      },
      { sql: deviceIdentitiesSql(params, target), alias: 'identities' },
      'device',
    )}
    GROUP BY person`;
  const stages = `SELECT
    person, identified, touch, a, t, r_candidates,
    ${pagesOn ? nthPageViewSql(params.uint32(rules.engagement.minPageViewsPerSession, 'minpages')) : 'toUInt32(0) AS e_pages'},
    arrayReduce('min', arrayFilter(x -> x > 0, [e_event, e_pages])) AS e
  FROM (
    ${grouped}
  )`;
  if (!attributes) {
    return `SELECT person, identified, a, e, t, r_candidates,
  '' AS first_channel, '' AS first_campaign, '' AS session_channel, '' AS campaign, '' AS device
FROM (
  ${stages}
)${having ? `\nWHERE ${having}` : ''}`;
  }
  // entry_touches may hold copies of a touch until merges collapse them (identical rows):
  // ANY takes one, so the lookup never multiplies a person.
  return `SELECT person, identified, a, e, t, r_candidates,
  first_channel, first_campaign, session_channel, session_campaign AS campaign, device_type AS device
FROM ${lookupJoin(
    { sql: stages, alias: 'stages' },
    {
      sql: `SELECT touch, first_channel, first_campaign, session_channel, session_campaign, device_type
  FROM ${table(target, TABLES.entryTouches)}
  WHERE project_id = ${projectParam(params, target)}`,
      alias: 'touches',
    },
    'touch',
  )}${having ? `\nWHERE ${having}` : ''}`;
}

/**
 * People with the stage they reached (`level` 1–4) and when, within `windowDays` of their
 * first awareness moment, each stage no earlier than the one before. The return moment is the
 * first retention-rule event on a UTC day at least `afterDays` after the first transaction's.
 */
export function journeysSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  windowDays: number,
  options: PeopleOptions = {},
): string {
  const window = params.uint32(Math.trunc(windowDays) * 86400, 'window');
  const afterDays = params.uint32(rules.retention.afterDays, 'afterdays');
  return `SELECT
  person, identified, first_channel, session_channel, campaign, device, a, e, t,
  e > 0 AND e >= a AND e - a <= ${window} AS ok_e,
  ok_e AND t > 0 AND t >= e AND t - a <= ${window} AS ok_t,
  arrayReduce('min', arrayFilter(x -> intDiv(x, 86400) >= intDiv(t, 86400) + ${afterDays}, r_candidates)) AS r,
  ok_t AND r > 0 AND r - a <= ${window} AS ok_r,
  multiIf(ok_r, 4, ok_t, 3, ok_e, 2, 1) AS level
FROM (
${peopleSql(params, target, scope, rules, options)}
)
WHERE a > 0`;
}
