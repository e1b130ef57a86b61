/**
 * Drop-off: for the people who reached a stage, what they did last — the people who stopped
 * there (their last event in the range) against the people who went on (their last event before
 * reaching the next stage) — overall and per first-touch channel.
 */
import { z } from 'zod';
import { type BoundQuery, SqlParams } from '../sql/params.js';
import type { QueryTarget } from './base.js';
import { journeysSql } from './journeys.js';
import type { Scope } from './scope.js';
import type { StageRules } from './stages.js';

/** The stages someone can stop at (retention is the last one: nobody goes on from it). */
export const DROPOFF_STAGES = ['awareness', 'engagement', 'transaction'] as const;
export type DropoffStage = (typeof DROPOFF_STAGES)[number];

export interface DropoffQuery {
  scope: Scope;
  rules: StageRules;
  sessionTimeoutMs: number;
  windowDays: number;
  stage: DropoffStage;
  /** Top entries per (outcome, channel). */
  limit: number;
}

/** The event types that are steps a person took. */
const STEP_TYPES = "('page', 'screen', 'track')";

/** The moment of the next stage, per stage (columns of journeysSql). */
const NEXT_MOMENT: Record<DropoffStage, string> = {
  awareness: 'e',
  engagement: 't',
  transaction: 'r',
};

export function dropoffSql(target: QueryTarget, q: DropoffQuery): BoundQuery {
  const params = new SqlParams();
  const level = DROPOFF_STAGES.indexOf(q.stage) + 1;
  const journeys = journeysSql(params, target, q.scope, q.rules, q.windowDays, {
    sessionTimeoutMs: q.sessionTimeoutMs,
    steps: true,
  });
  // Each person who reached the stage, with their outcome and the last step before the cutoff:
  // something they did — a page or screen view or a tracked event, never the bookkeeping calls
  // (identify, alias, group), which analytics.js sends after a sign-up and which otherwise were
  // most people's "last step" — from their deduplicated events in order (the device timelines,
  // their summaries where those answer). Of steps in the same millisecond, the greatest (type,
  // label), so the answer is deterministic: found among the few at the last step's time, not by
  // zipping every event. The cutoff is in milliseconds, as the stage moments are.
  const lastEvents = `SELECT person_outcome, first_channel,
    arrayReduce('max', arrayFilter(x -> tupleElement(x, 2) IN ${STEP_TYPES}, arrayZip(
      arraySlice(st, first_at_last, last_index - first_at_last + 1),
      arraySlice(sy, first_at_last, last_index - first_at_last + 1),
      arraySlice(sl, first_at_last, last_index - first_at_last + 1)))) AS last
  FROM (
    SELECT
      if(level > ${level}, 'continued', 'stopped') AS person_outcome,
      first_channel, st, sy, sl,
      if(level > ${level}, ${NEXT_MOMENT[q.stage]}, toInt64(9223372036854775807)) AS cutoff,
      arrayLastIndex((x, yy) -> x < cutoff AND yy IN ${STEP_TYPES}, st, sy) AS last_index,
      arrayFirstIndex(x -> x = st[last_index], st) AS first_at_last
    FROM (
${journeys}
    )
    WHERE level >= ${level}
  )
  WHERE last_index > 0`;
  // One grouping set per channel and one for everyone (grouping() marks it), then each
  // outcome's people per group by a window sum and the top entries by LIMIT BY: no
  // groupArray / ARRAY JOIN round trip, and a channel of '' cannot be taken for the total.
  return params.query(`SELECT outcome, channel, total, kind, name, people,
  sum(people) OVER (PARTITION BY outcome, total, channel) AS outcome_people
FROM (
  SELECT person_outcome AS outcome, first_channel AS channel, grouping(first_channel) AS total,
    tupleElement(last, 2) AS kind, tupleElement(last, 3) AS name, count() AS people
  FROM (
${lastEvents}
  )
  GROUP BY GROUPING SETS ((person_outcome, first_channel, kind, name), (person_outcome, kind, name))
)
ORDER BY outcome DESC, total DESC, channel, people DESC, kind, name
LIMIT ${params.uint32(Math.trunc(q.limit), 'limit')} BY outcome, total, channel`);
}

const count = z.coerce.number().int().nonnegative();
export const dropoffRowSchema = z.object({
  outcome: z.enum(['stopped', 'continued']),
  channel: z.string(),
  /** 1: the row is for all channels. */
  total: z.coerce.number().int(),
  kind: z.string(),
  name: z.string(),
  people: count,
  outcome_people: count,
});
export type DropoffRow = z.infer<typeof dropoffRowSchema>;

export interface DropoffEntry {
  /** The event type (page, track, screen…) and its page path or event name. */
  kind: string;
  name: string;
  people: number;
  /** Share of this outcome's people (in this channel) whose last event it was. */
  share: number;
}

export interface DropoffGroup {
  /** '' for all channels. */
  channel: string;
  stopped: { people: number; top: DropoffEntry[] };
  continued: { people: number; top: DropoffEntry[] };
}

export interface DropoffResult {
  stage: DropoffStage;
  total: DropoffGroup;
  channels: DropoffGroup[];
}

export function toDropoffResult(rows: DropoffRow[], q: DropoffQuery): DropoffResult {
  const groups = new Map<string, DropoffGroup>();
  let total: DropoffGroup | undefined;
  for (const row of rows) {
    let group = row.total === 1 ? total : groups.get(row.channel);
    if (!group) {
      group = {
        channel: row.total === 1 ? '' : row.channel,
        stopped: { people: 0, top: [] },
        continued: { people: 0, top: [] },
      };
      if (row.total === 1) total = group;
      else groups.set(row.channel, group);
    }
    const side = group[row.outcome];
    side.people = row.outcome_people;
    side.top.push({
      kind: row.kind,
      name: row.name,
      people: row.people,
      share: row.outcome_people === 0 ? 0 : row.people / row.outcome_people,
    });
  }
  const empty = (): DropoffGroup => ({
    channel: '',
    stopped: { people: 0, top: [] },
    continued: { people: 0, top: [] },
  });
  return {
    stage: q.stage,
    total: total ?? empty(),
    channels: [...groups.values()],
  };
}
