/**
 * The query layer: one entry point the API, the dashboard (through the API) and the CLI call.
 * Each method takes already-validated parameters (see params.ts), builds SQL with the pure
 * builders, runs it server-side and shapes the result.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { attributionRowSchema, attributionSql, toAttributionResult } from './attribution.js';
import type { QueryTarget } from './base.js';
import { dropoffRowSchema, dropoffSql, toDropoffResult } from './dropoff.js';
import { funnelRowSchema, funnelSql, toFunnelResult } from './funnel.js';
import type {
  AttributionParams,
  DropoffParams,
  FunnelParams,
  RetentionParams,
  TrendsParams,
} from './params.js';
import { retentionRowSchema, retentionSql, toRetentionResult } from './retention.js';
import { runQuery } from './runner.js';
import { toScope } from './scope.js';
import type { StageRules } from './stages.js';
import { toTrendsResult, trendsRowSchema, trendsSql } from './trends.js';

export interface ProjectQueryContext {
  projectId: string;
  rules: StageRules;
}

export function createQueries(client: ClickHouseClient, database: string) {
  const target = (projectId: string): QueryTarget => ({ database, projectId });
  return {
    async funnel(ctx: ProjectQueryContext, p: FunnelParams) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        windowDays: p.window,
        breakdown: p.breakdown,
      };
      const rows = await runQuery(client, funnelSql(target(ctx.projectId), q), funnelRowSchema);
      return toFunnelResult(rows, q);
    },
    async dropoff(ctx: ProjectQueryContext, p: DropoffParams) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        windowDays: p.window,
        stage: p.stage,
        limit: p.limit,
      };
      const rows = await runQuery(client, dropoffSql(target(ctx.projectId), q), dropoffRowSchema);
      return toDropoffResult(rows, q);
    },
    async attribution(ctx: ProjectQueryContext, p: AttributionParams) {
      const q = {
        scope: toScope(p),
        rules: ctx.rules,
        lookbackDays: p.lookback,
        halfLifeDays: p.halfLife,
      };
      const rows = await runQuery(
        client,
        attributionSql(target(ctx.projectId), q),
        attributionRowSchema,
      );
      return toAttributionResult(rows, q, p.model);
    },
    async trends(ctx: ProjectQueryContext, p: TrendsParams) {
      const q = { scope: toScope(p), rules: ctx.rules, interval: p.interval };
      const rows = await runQuery(client, trendsSql(target(ctx.projectId), q), trendsRowSchema);
      return toTrendsResult(rows, q);
    },
    async retention(ctx: ProjectQueryContext, p: RetentionParams) {
      const q = { scope: toScope(p), rules: ctx.rules, weeks: p.weeks };
      const rows = await runQuery(
        client,
        retentionSql(target(ctx.projectId), q),
        retentionRowSchema,
      );
      return toRetentionResult(rows, q);
    },
  };
}

export type Queries = ReturnType<typeof createQueries>;
