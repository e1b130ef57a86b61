/**
 * The questions the API answers: path, parameter schema and the query-layer call, in one table
 * that the routes, the OpenAPI description and the CLI share.
 */
import type { z } from 'zod';
import type { ProjectQueryContext, Queries } from '../queries/index.js';
import {
  attributionParams,
  dropoffParams,
  funnelParams,
  retentionParams,
  trendsParams,
} from '../queries/params.js';

export interface Question<S extends z.ZodType = z.ZodType> {
  name: 'funnel' | 'dropoff' | 'attribution' | 'trends' | 'retention';
  summary: string;
  params: S;
  run: (queries: Queries, ctx: ProjectQueryContext, params: z.output<S>) => Promise<unknown>;
}

const question = <S extends z.ZodType>(q: Question<S>): Question<S> => q;

export const QUESTIONS = [
  question({
    name: 'funnel',
    summary:
      'Stage funnel awareness → engagement → transaction → retention: people per stage, step and overall conversion, drop-off, median time between stages; optionally per breakdown value.',
    params: funnelParams,
    run: (queries, ctx, p) => queries.funnel(ctx, p),
  }),
  question({
    name: 'dropoff',
    summary:
      'For people who reached a stage: the last pages/events of those who stopped there against those who went on, overall and per first-touch channel.',
    params: dropoffParams,
    run: (queries, ctx, p) => queries.dropoff(ctx, p),
  }),
  question({
    name: 'attribution',
    summary:
      'Conversions and revenue credited to session channels under first-touch, last-touch, last-non-direct, linear, time-decay and position-based models.',
    params: attributionParams,
    run: (queries, ctx, p) => queries.attribution(ctx, p),
  }),
  question({
    name: 'trends',
    summary: 'People, sessions and conversions per day or week and session channel.',
    params: trendsParams,
    run: (queries, ctx, p) => queries.trends(ctx, p),
  }),
  question({
    name: 'retention',
    summary:
      'Cohorts by acquisition week and first-touch channel, with the share active in each later week.',
    params: retentionParams,
    run: (queries, ctx, p) => queries.retention(ctx, p),
  }),
] as const;
