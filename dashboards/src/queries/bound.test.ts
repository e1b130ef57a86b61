/**
 * Every question's SQL carries its values as server-side parameters only: built with a hostile
 * value in every free-text input (project id, campaign, device, stage-rule event names), the
 * SQL text contains none of them, every placeholder has a value and every value a placeholder.
 * (queries.integration.test.ts runs the same values against ClickHouse.)
 */
import { describe, expect, it } from 'vitest';
import type { BoundQuery } from '../sql/params.js';
import { attributionSql } from './attribution.js';
import { BREAKDOWNS } from './breakdown.js';
import { DROPOFF_STAGES, dropoffSql } from './dropoff.js';
import { funnelSql } from './funnel.js';
import { retentionSql } from './retention.js';
import { toScope } from './scope.js';
import { stageRulesSchema } from './stages.js';
import { trendsSql } from './trends.js';

const HOSTILE = "h'); DROP TABLE events; -- \\ {project_0:String} \n\t\0";

const scope = toScope({
  from: '2026-11-01',
  to: '2026-11-30',
  channel: ['paid'],
  campaign: [HOSTILE],
  device: [HOSTILE],
  identified: 'yes',
  bots: 'exclude',
});
const rules = stageRulesSchema.parse({
  engagement: { events: [HOSTILE] },
  transaction: { events: [HOSTILE] },
  retention: { events: [HOSTILE] },
});
const target = { database: 'waymark', projectId: HOSTILE };

const queries: [string, BoundQuery][] = [
  ...BREAKDOWNS.map(
    (breakdown) =>
      [
        `funnel by ${breakdown}`,
        funnelSql(target, { scope, rules, sessionTimeoutMs: 1_800_000, windowDays: 30, breakdown }),
      ] as [string, BoundQuery],
  ),
  ...DROPOFF_STAGES.map(
    (stage) =>
      [
        `drop-off at ${stage}`,
        dropoffSql(target, {
          scope,
          rules,
          sessionTimeoutMs: 1_800_000,
          windowDays: 30,
          stage,
          limit: 10,
        }),
      ] as [string, BoundQuery],
  ),
  [
    'attribution',
    attributionSql(target, {
      scope,
      rules,
      sessionTimeoutMs: 1_800_000,
      lookbackDays: 30,
      halfLifeDays: 0.5,
    }),
  ],
  ['trends', trendsSql(target, { scope, rules, sessionTimeoutMs: 1_800_000, interval: 'week' })],
  ['retention', retentionSql(target, { scope, rules, weeks: 8, nowMs: Date.now() })],
];

const PLACEHOLDER = /\{([a-z][a-z0-9]*_\d+):([^}]+)\}/g;

describe.each(queries)('%s', (_name, bound) => {
  it('has no value in its SQL text, only placeholders', () => {
    expect(bound.query).not.toContain('DROP TABLE');
    expect(bound.query).not.toContain('2026-11');
    expect(bound.query).not.toContain("'paid'");
    expect(JSON.stringify(bound.params)).toContain('DROP TABLE');
  });

  it('binds exactly the placeholders it uses', () => {
    const used = new Set([...bound.query.matchAll(PLACEHOLDER)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(bound.params).sort());
  });

  it('names every joined subquery', () => {
    // `) <JOIN>` with no alias between the subquery and the join keyword is what current
    // ClickHouse refuses (ALIAS_REQUIRED); so is a join's subquery followed by USING / ON.
    expect(bound.query).not.toMatch(/\)\s*(ANY|ALL|LEFT|INNER|RIGHT|FULL|SEMI|ANTI)\b[^(]*JOIN/);
    expect(bound.query).not.toMatch(/\)\s*(USING|ON)\b/);
    expect(bound.query).not.toMatch(/\bANY\s+INNER\s+JOIN\b/);
  });
});
