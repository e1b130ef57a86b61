/**
 * People and the journey stage each reached, from the device timelines (timeline.ts): sessions
 * for every source, people for every key. Per device, the first moment of each stage's events
 * and the N-th page view of any one session; per stitched person, the earliest of each over
 * their devices, the entry attributes of their earliest touch, and the moments that could count
 * as a return (the first retention-rule event of each UTC day). Stage rules are evaluated here
 * at query time, so a changed rule applies to history. Times are epoch milliseconds.
 */

import { ENTRY_COLUMNS, SUMMARY_PAGE_RANKS } from '@waymark/contract/schema';
import type { SqlParams } from '../sql/params.js';
import { deviceIdentitiesSql, lookupJoin, personConditions, type QueryTarget } from './base.js';
import type { Scope } from './scope.js';
import { type StageRules, stagePredicates } from './stages.js';
import { deviceSources, hasFlag, rankInSessionSql, timelinesFrom } from './timeline.js';

type StageTerm = 'awareness' | 'engagementEvent' | 'transaction' | 'retention';

/** The first moments (per type, name and day) of a summary that meet a stage rule. */
function summaryMoments(params: SqlParams, rules: StageRules, stage: StageTerm): string {
  const p = stagePredicates(params, rules, { type: 'ty', nameKey: 'nm' });
  return `arrayFilter((a, ty, nm) -> ${p[stage]}, ka, kt, kn)`;
}

/** The earliest of them (0: none, as arrayFirst over a timeline gives). */
function summaryFirst(params: SqlParams, rules: StageRules, stage: StageTerm): string {
  return `arrayMin(${summaryMoments(params, rules, stage)})`;
}

/** What the people query needs beyond the scope and rules. */
export interface PeopleOptions {
  sessionTimeoutMs: number;
  /**
   * Also give each person's events as parallel arrays in (ms, message) order: `st` ms, `sy`
   * type, `sl` step label (drop-off reads the last step before a moment).
   */
  steps?: boolean;
}

/** A device's events as (ms, type, label), for people whose devices are regrouped. */
const DEVICE_STEPS_SQL = 'arrayZip(t, y, l) AS d_steps';
// A summary's types and labels are LowCardinality; the timelines' are cast to them (the few
// regrouped people), not the summaries' to plain strings (nearly everyone).
const STEP_TEXT = 'Array(LowCardinality(String))';

/**
 * One row per stitched person (`person`: a user key, else a device key; see
 * contract/src/schema/keys.ts): whether identified, the entry attributes of their earliest
 * touch (`first_channel` 'direct' when they have none), the first moment of each stage as epoch
 * milliseconds (0: never), and `r_candidates`, the first retention-rule event of each UTC day.
 */
export function peopleSql(
  params: SqlParams,
  target: QueryTarget,
  scope: Scope,
  rules: StageRules,
  options: PeopleOptions,
): string {
  const steps = options.steps === true;
  const timelineOptions = { range: scope, sessionTimeoutMs: options.sessionTimeoutMs, steps };
  const deviceSteps = steps ? `,\n      ${DEVICE_STEPS_SQL}` : '';
  const minPages = rules.engagement.minPageViewsPerSession;
  const entry = `(${ENTRY_COLUMNS.map((c) => `entry_${c}`).join(', ')}) AS entry`;
  const fromTimelines = (timelines: string) => {
    const pages =
      minPages > 0
        ? `arrayFirst((x, fl, n) -> ${hasFlag('fl', 'page')} AND n = ${params.uint32(minPages, 'minpages')}, t, f,
        ${rankInSessionSql('page')})`
        : 'toInt64(0)';
    return `SELECT device, user_only, entry_at, ${entry},
      arrayFirst((x, fl) -> ${hasFlag('fl', 'awareness')}, t, f) AS d_a,
      arrayFirst((x, fl) -> ${hasFlag('fl', 'engagement')}, t, f) AS d_e_event,
      ${pages} AS d_e_pages,
      arrayFirst((x, fl) -> ${hasFlag('fl', 'transaction')}, t, f) AS d_t,
      arrayFilter((x, fl, n) -> ${hasFlag('fl', 'retention')} AND n = 1, t, f,
        arrayEnumerateUniq(arrayMap((x, fl) -> if(${hasFlag('fl', 'retention')}, intDiv(x, 86400000) + 1, 0), t, f))) AS d_r${deviceSteps}
    FROM (
${timelines}
    )`;
  };
  const sources = deviceSources(params, target, scope, rules, timelineOptions);
  // A summary holds the first event of each (type, name, day) and the earliest r-th page view of
  // a session: the same moments, read from a few elements instead of every event.
  const fromSummaries = (
    summaries: string,
    only: string,
    alone: boolean,
  ) => `SELECT device, user_only, entry_at, entry, d_a, d_e_event, d_e_pages, d_t,
      arrayFilter((x, u) -> u = 1, rs, arrayEnumerateUniq(arrayMap(x -> intDiv(x, 86400000), rs))) AS d_r${steps ? (alone ? ', t AS d_st, y AS d_sy, l AS d_sl' : `, arrayZip(t, CAST(y, '${STEP_TEXT}'), l) AS d_steps`) : ''}
    FROM (
      SELECT device, user_only, entry_at, ${entry}${steps ? ', t, y, l' : ''},
        ${summaryFirst(params, rules, 'awareness')} AS d_a,
        ${summaryFirst(params, rules, 'engagementEvent')} AS d_e_event,
        ${minPages > 0 ? `nth_page_at[${params.uint32(minPages, 'minpagesat')}]` : 'toInt64(0)'} AS d_e_pages,
        ${summaryFirst(params, rules, 'transaction')} AS d_t,
        arraySort(${summaryMoments(params, rules, 'retention')}) AS rs
      ${summaries}
        AND ${only}
    )`;
  const identities = deviceIdentitiesSql(params, target);
  const byPerson = (devices: string) => `SELECT
    if(id_user != 0, id_user, device) AS person,
    max(id_user != 0 OR user_only) AS identified,
    max(entry_at > 0) AS has_entry,
    argMinIf(entry, entry_at, entry_at > 0) AS entry,
    minIf(d_a, d_a > 0) AS a,
    arrayMin(arrayFilter(x -> x > 0, [minIf(d_e_event, d_e_event > 0), minIf(d_e_pages, d_e_pages > 0)])) AS e,
    minIf(d_t, d_t > 0) AS t,
    groupArrayArray(d_r) AS r_candidates${
      steps
        ? `,
    arrayMap(x -> x.1, arraySort(groupArrayArray(d_steps))) AS st,
    CAST(arrayMap(x -> x.2, arraySort(groupArrayArray(d_steps))), '${STEP_TEXT}') AS sy,
    CAST(arrayMap(x -> x.3, arraySort(groupArrayArray(d_steps))), '${STEP_TEXT}') AS sl`
        : ''
    }
  FROM ${lookupJoin({ sql: devices, alias: 'devices' }, { sql: identities, alias: 'identities' }, 'device')}
  GROUP BY person`;
  let people: string;
  if (sources.summaries && minPages <= SUMMARY_PAGE_RANKS) {
    // A device with one summary row, no user id and no link is a person of its own: its row is
    // the person's, with no regrouping — what most devices are, and a million-key GROUP BY
    // costs more than everything else in the question. Every other device is grouped, its
    // summary found by key (listed from the summaries' small columns first): a filter on other
    // columns would read every row's arrays through FINAL only to drop nearly all of them.
    const alone = `user_only = 0 AND kinds = 1
        AND device NOT IN (SELECT device FROM (${identities}) WHERE id_user != 0)`;
    people = `SELECT device AS person, toUInt8(0) AS identified, entry_at > 0 AS has_entry, entry,
    d_a AS a, arrayMin(arrayFilter(x -> x > 0, [d_e_event, d_e_pages])) AS e, d_t AS t, d_r AS r_candidates${steps ? ', d_st AS st, d_sy AS sy, d_sl AS sl' : ''}
  FROM (
${fromSummaries(sources.summaries.answering, alone, true)}
  )
  UNION ALL
  ${byPerson(`${fromSummaries(sources.summaries.answering, `device IN (SELECT device ${sources.summaries.all} AND NOT (${alone}))`, false)}
    UNION ALL
    ${fromTimelines(sources.events)}`)}`;
  } else {
    people = byPerson(fromTimelines(timelinesFrom(params, rules, timelineOptions, sources)));
  }
  const having = personConditions(params, scope);
  return `SELECT person, identified, a, e, t, r_candidates,${steps ? ' st, sy, sl,' : ''}
  if(has_entry, tupleElement(entry, 1), 'direct') AS first_channel,
  if(has_entry, tupleElement(entry, 2), '') AS first_campaign,
  if(has_entry, tupleElement(entry, 3), 'direct') AS session_channel,
  if(has_entry, tupleElement(entry, 4), '') AS campaign,
  if(has_entry, tupleElement(entry, 5), '') AS device
FROM (
  ${people}
)${having ? `\nWHERE ${having}` : ''}`;
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
  options: PeopleOptions,
): string {
  const window = params.int64(Math.trunc(windowDays) * 86_400_000, 'window');
  const afterDays = params.uint32(rules.retention.afterDays, 'afterdays');
  return `SELECT
  person, identified, first_channel, session_channel, campaign, device, a, e, t,${options.steps ? ' st, sy, sl,' : ''}
  e > 0 AND e >= a AND e - a <= ${window} AS ok_e,
  ok_e AND t > 0 AND t >= e AND t - a <= ${window} AS ok_t,
  arrayMin(arrayFilter(x -> intDiv(x, 86400000) >= intDiv(t, 86400000) + ${afterDays}, r_candidates)) AS r,
  ok_t AND r > 0 AND r - a <= ${window} AS ok_r,
  multiIf(ok_r, 4, ok_t, 3, ok_e, 2, 1) AS level
FROM (
${peopleSql(params, target, scope, rules, options)}
)
WHERE a > 0`;
}
