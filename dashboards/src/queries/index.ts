/**
 * The query layer: the one list of questions the API, the dashboard (through the API) and the CLI
 * answer — each with its name, summary, parameter schema (params.ts) and how to answer it (build
 * SQL with the pure builders, run it server-side, shape the result) — and `createQueries`, the
 * entry point derived from that list. The routes, the OpenAPI description and the CLI read it.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { TABLES } from '@waymark/contract/schema';
import type { z } from 'zod';
import { attributionRowSchema, attributionSql, toAttributionResult } from './attribution.js';
import type { QueryTarget } from './base.js';
import { dropoffRowSchema, dropoffSql, toDropoffResult } from './dropoff.js';
import { funnelRowSchema, funnelSql, toFunnelResult } from './funnel.js';
import {
  attributionParams,
  dropoffParams,
  funnelParams,
  retentionParams,
  trendsParams,
} from './params.js';
import { retentionRowSchema, retentionSql, toRetentionResult } from './retention.js';
import { runQuery } from './runner.js';
import { toScope } from './scope.js';
import type { StageRules } from './stages.js';
import { toTrendsResult, trendsRowSchema, trendsSql } from './trends.js';

/** What a question needs to know of its project. */
export function projectQueryContext(project: {
  id: string;
  rules: StageRules;
  sessionTimeoutMinutes: number;
}): ProjectQueryContext {
  return {
    projectId: project.id,
    rules: project.rules,
    sessionTimeoutMs: project.sessionTimeoutMinutes * 60_000,
  };
}

export interface ProjectQueryContext {
  projectId: string;
  rules: StageRules;
  /** The project's session timeout (`sessionTimeoutMinutes` in its configuration). */
  sessionTimeoutMs: number;
}

interface Question<N extends string, S extends z.ZodType, R> {
  name: N;
  summary: string;
  params: S;
  ask: (
    client: ClickHouseClient,
    target: QueryTarget,
    ctx: ProjectQueryContext,
    params: z.output<S>,
  ) => Promise<R>;
}

const question = <N extends string, S extends z.ZodType, R>(q: Question<N, S, R>) => q;

export const QUESTIONS = [
  question({
    name: 'funnel',
    summary:
      'Stage funnel awareness → engagement → transaction → retention: people per stage, step and overall conversion, drop-off, median time between stages; optionally per breakdown value.',
    params: funnelParams,
    async ask(client, target, ctx, p) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        sessionTimeoutMs: ctx.sessionTimeoutMs,
        windowDays: p.window,
        breakdown: p.breakdown,
      };
      return toFunnelResult(await runQuery(client, funnelSql(target, q), funnelRowSchema), q);
    },
  }),
  question({
    name: 'dropoff',
    summary:
      'For people who reached a stage: the last pages/events of those who stopped there against those who went on, overall and per first-touch channel.',
    params: dropoffParams,
    async ask(client, target, ctx, p) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        sessionTimeoutMs: ctx.sessionTimeoutMs,
        windowDays: p.window,
        stage: p.stage,
        limit: p.limit,
      };
      return toDropoffResult(await runQuery(client, dropoffSql(target, q), dropoffRowSchema), q);
    },
  }),
  question({
    name: 'attribution',
    summary:
      'Conversions and revenue credited to session channels under first-touch, last-touch, last-non-direct, linear, time-decay and position-based models.',
    params: attributionParams,
    async ask(client, target, ctx, p) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        sessionTimeoutMs: ctx.sessionTimeoutMs,
        lookbackDays: p.lookback,
        halfLifeDays: p.halfLife,
      };
      const rows = await runQuery(client, attributionSql(target, q), attributionRowSchema);
      return toAttributionResult(rows, q, p.model);
    },
  }),
  question({
    name: 'trends',
    summary: 'People, sessions and conversions per day or week and session channel.',
    params: trendsParams,
    async ask(client, target, ctx, p) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        sessionTimeoutMs: ctx.sessionTimeoutMs,
        interval: p.interval,
      };
      return toTrendsResult(await runQuery(client, trendsSql(target, q), trendsRowSchema), q);
    },
  }),
  question({
    name: 'retention',
    summary:
      'Cohorts by acquisition week and first-touch channel, with the share active in each later week.',
    params: retentionParams,
    async ask(client, target, ctx, p) {
      const q = { scope: toScope(p), rules: ctx.rules, weeks: p.weeks, nowMs: Date.now() };
      const rows = await runQuery(client, retentionSql(target, q), retentionRowSchema);
      return toRetentionResult(rows, q);
    },
  }),
] as const;

type AnyQuestion = (typeof QUESTIONS)[number];
export type QuestionName = AnyQuestion['name'];
type Named<N extends QuestionName> = Extract<AnyQuestion, { name: N }>;

/** One method per question, typed by its parameters and result, plus `ask` by name. */
export type Queries = {
  readonly [N in QuestionName]: (
    ctx: ProjectQueryContext,
    params: z.output<Named<N>['params']>,
  ) => ReturnType<Named<N>['ask']>;
} & {
  /** Answers a question by name, with parameters its schema already parsed. */
  ask(name: QuestionName, ctx: ProjectQueryContext, params: unknown): Promise<unknown>;
};

type AnyAsk = (
  client: ClickHouseClient,
  target: QueryTarget,
  ctx: ProjectQueryContext,
  params: unknown,
) => Promise<unknown>;

/**
 * Whether the database has device summaries yet (migration 7): the dashboards may be upgraded
 * before the processor migrates. Asked until the answer is yes, at most once a minute.
 */
function summariesProbe(client: ClickHouseClient, database: string): () => Promise<boolean> {
  let known = false;
  let askedAt = Number.NEGATIVE_INFINITY;
  let asking: Promise<boolean> | undefined;
  return async () => {
    if (known) return true;
    if (asking) return asking;
    if (Date.now() - askedAt < 60_000) return false;
    asking = (async () => {
      try {
        const result = await client.query({
          query: `SELECT count() AS n FROM system.tables WHERE database = {database:String} AND name = {table:String}`,
          query_params: { database, table: TABLES.deviceSummaries },
          format: 'JSONEachRow',
        });
        const [row] = await result.json<{ n: string | number }>();
        known = Number(row?.n ?? 0) > 0;
        return known;
      } finally {
        askedAt = Date.now();
        asking = undefined;
      }
    })();
    return asking;
  };
}

export function createQueries(client: ClickHouseClient, database: string): Queries {
  const summaries = summariesProbe(client, database);
  const methods = new Map(
    QUESTIONS.map((q) => [
      q.name,
      async (ctx: ProjectQueryContext, params: unknown) =>
        (q.ask as AnyAsk)(
          client,
          { database, projectId: ctx.projectId, summaries: await summaries() },
          ctx,
          params,
        ),
    ]),
  );
  return {
    ...Object.fromEntries(methods),
    ask: (name: QuestionName, ctx: ProjectQueryContext, params: unknown) =>
      methods.get(name)!(ctx, params),
  } as Queries;
}
