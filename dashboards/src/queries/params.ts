/**
 * The parameters of each question, as one zod schema per question over string inputs: the API
 * validates its query string with them and the CLI its flags, so both accept and refuse the same.
 */
import { z } from 'zod';
import { MODELS } from './attribution.js';
import { BREAKDOWNS } from './breakdown.js';
import { DROPOFF_STAGES } from './dropoff.js';
import { commaList, refineRange, scopeFields } from './scope.js';
import { INTERVALS } from './trends.js';

const days = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  commaList
    .pipe(z.array(z.enum(values, `one of ${values.join(', ')}`)))
    .transform((list) => (list.length === 0 ? [...values] : [...new Set(list)]));

export const funnelParams = z
  .object({
    ...scopeFields,
    breakdown: z.enum(BREAKDOWNS).default('none'),
    /** Every stage must happen within this many days of the first awareness moment. */
    window: days(365, 30),
  })
  .strict()
  .superRefine(refineRange);

export const dropoffParams = z
  .object({
    ...scopeFields,
    stage: z.enum(DROPOFF_STAGES).default('awareness'),
    window: days(365, 30),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict()
  .superRefine(refineRange);

export const attributionParams = z
  .object({
    ...scopeFields,
    /** Comma-separated models; all six when absent. */
    model: listOf(MODELS),
    /** Touches up to this many days before a conversion count. */
    lookback: days(365, 30),
    /** Time-decay half-life in days (fractions allowed). */
    halfLife: z.coerce.number().min(0.01).max(365).default(7),
  })
  .strict()
  .superRefine(refineRange);

export const trendsParams = z
  .object({ ...scopeFields, interval: z.enum(INTERVALS).default('day') })
  .strict()
  .superRefine(refineRange);

export const retentionParams = z
  .object({ ...scopeFields, weeks: z.coerce.number().int().min(1).max(52).default(8) })
  .strict()
  .superRefine(refineRange);

export type FunnelParams = z.output<typeof funnelParams>;
export type DropoffParams = z.output<typeof dropoffParams>;
export type AttributionParams = z.output<typeof attributionParams>;
export type TrendsParams = z.output<typeof trendsParams>;
export type RetentionParams = z.output<typeof retentionParams>;
