/**
 * Drop-off: for the people who reached a stage, what they did last — the people who stopped
 * there (their last event in the range) against the people who went on (their last event before
 * reaching the next stage) — overall and per first-touch channel.
 */
import { z } from 'zod';
import { sqlNumber } from '../sql/escape.js';
import { deviceIdentitiesSql, type QueryTarget, scanSql } from './base.js';
import { journeysSql } from './journeys.js';
import type { Scope } from './scope.js';
import type { StageRules } from './stages.js';

/** The stages someone can stop at (retention is the last one: nobody goes on from it). */
export const DROPOFF_STAGES = ['awareness', 'engagement', 'transaction'] as const;
export type DropoffStage = (typeof DROPOFF_STAGES)[number];

export interface DropoffQuery {
  scope: Scope;
  rules: StageRules;
  windowDays: number;
  stage: DropoffStage;
  /** Top entries per (outcome, channel). */
  limit: number;
}

/** The moment of the next stage, per stage (columns of journeysSql). */
const NEXT_MOMENT: Record<DropoffStage, string> = {
  awareness: 'e',
  engagement: 't',
  transaction: 'r',
};

export function dropoffSql(target: QueryTarget, q: DropoffQuery): string {
  const level = DROPOFF_STAGES.indexOf(q.stage) + 1;
  const events = scanSql(target, q.scope, [
    'anonymous_id',
    'timestamp',
    'type',
    'event',
    'page_path',
  ]);
  return `SELECT outcome, channel, kind, name, people, outcome_people
FROM (
  SELECT outcome, channel, groupArray((kind, name, people)) AS entries, sum(people) AS outcome_people
  FROM (
    SELECT outcome, channel, kind, name, count() AS people
    FROM (
      SELECT person, any(outcome) AS person_outcome, any(person_channel) AS first_channel,
        argMax(type, ts) AS kind, argMax(label, ts) AS name
      FROM (
        SELECT if(id_user != 0, id_user, device) AS person, toUInt32(timestamp) AS ts, type,
          if(type = 'page', page_path, event) AS label
        FROM (
          SELECT cityHash64(anonymous_id) AS device, timestamp, type, event, page_path
          FROM (
${events}
          )
        ) ANY LEFT JOIN (
${deviceIdentitiesSql(target)}
        ) USING device
      ) ANY INNER JOIN (
        SELECT person,
          if(level > ${level}, 'continued', 'stopped') AS outcome,
          first_channel AS person_channel,
          if(level > ${level}, ${NEXT_MOMENT[q.stage]}, toUInt32(4294967295)) AS cutoff
        FROM (
${journeysSql(target, q.scope, q.rules, q.windowDays, { attributes: true })}
        )
        WHERE level >= ${level}
      ) USING person
      WHERE ts < cutoff
      GROUP BY person
    )
    ARRAY JOIN [0, 1] AS total
    GROUP BY person_outcome AS outcome, if(total = 1, '', first_channel) AS channel, kind, name
  )
  GROUP BY outcome, channel
)
ARRAY JOIN entries.1 AS kind, entries.2 AS name, entries.3 AS people
ORDER BY outcome DESC, channel, people DESC, kind, name
LIMIT ${sqlNumber(Math.trunc(q.limit))} BY outcome, channel`;
}

const count = z.coerce.number().int().nonnegative();
export const dropoffRowSchema = z.object({
  outcome: z.enum(['stopped', 'continued']),
  channel: z.string(),
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
  for (const row of rows) {
    let group = groups.get(row.channel);
    if (!group) {
      group = {
        channel: row.channel,
        stopped: { people: 0, top: [] },
        continued: { people: 0, top: [] },
      };
      groups.set(row.channel, group);
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
    total: groups.get('') ?? empty(),
    channels: [...groups.values()].filter((g) => g.channel !== ''),
  };
}
