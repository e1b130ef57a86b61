/**
 * What every question is asked over: a date range, the project, and person filters. One zod
 * schema for the API's query string and the CLI's flags, so both refuse the same inputs with
 * the same field names.
 */
import { LIMITS } from '@waymark/contract/limits';
import { CHANNELS } from '@waymark/contract/wire';
import { clickHouseDateTime } from '@waymark/kit/clickhouse-time';
import { z } from 'zod';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 3 * 366;

// The days whose whole range the store can hold: a range ends at the start of the day after
// `to`, which must still be a storable instant (9999-12-31 would end in year 10000).
const FIRST_DAY = new Date(LIMITS.minStorableMs).toISOString().slice(0, 10);
const LAST_DAY = new Date(LIMITS.maxStorableMs - DAY_MS).toISOString().slice(0, 10);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  )
  .refine((d) => d >= FIRST_DAY && d <= LAST_DAY, `a date between ${FIRST_DAY} and ${LAST_DAY}`);

/** A list given as `a,b`, as a repeated parameter / flag, or both: trimmed, blanks dropped. */
export const commaList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

/** A list of free-text values, each bounded. */
const textList = (what: string) =>
  commaList.pipe(z.array(z.string().max(200, `each ${what} at most 200 characters`)).max(50));

const channelList = commaList.pipe(z.array(z.enum(CHANNELS, `one of ${CHANNELS.join(', ')}`)));

export const scopeFields = {
  /** First day, inclusive (UTC). */
  from: isoDate,
  /** Last day, inclusive (UTC). */
  to: isoDate,
  /** The person's first-touch channel. */
  channel: channelList,
  /** The person's first-touch campaign (utm_campaign). */
  campaign: textList('campaign'),
  /** The event's device type (desktop, mobile, tablet, other). */
  device: textList('device'),
  /** Only people with (yes) or without (no) a user id after identity stitching. */
  identified: z.enum(['any', 'yes', 'no']).default('any'),
  /** Bot traffic is excluded unless asked for. */
  bots: z.enum(['exclude', 'include']).default('exclude'),
};

export const scopeSchema = z.object(scopeFields);
export type ScopeInput = z.input<typeof scopeSchema>;

export interface Scope {
  /** 'YYYY-MM-DD hh:mm:ss', inclusive. */
  start: string;
  /** 'YYYY-MM-DD hh:mm:ss', exclusive (the day after `to`). */
  end: string;
  channels: readonly string[];
  campaigns: readonly string[];
  devices: readonly string[];
  identified: 'any' | 'yes' | 'no';
  includeBots: boolean;
}

/** Checks the range and turns the parsed fields into what the builders use. */
export function toScope(fields: z.output<typeof scopeSchema>): Scope {
  const startMs = Date.parse(`${fields.from}T00:00:00Z`);
  const endMs = Date.parse(`${fields.to}T00:00:00Z`) + DAY_MS;
  return {
    start: clickHouseDateTime(startMs),
    end: clickHouseDateTime(endMs),
    channels: fields.channel,
    campaigns: fields.campaign,
    devices: fields.device,
    identified: fields.identified,
    includeBots: fields.bots === 'include',
  };
}

/** Range checks that need both ends; reported on `to`. */
export function refineRange(value: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days =
    (Date.parse(`${value.to}T00:00:00Z`) - Date.parse(`${value.from}T00:00:00Z`)) / DAY_MS;
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  if (days > MAX_RANGE_DAYS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `range at most ${MAX_RANGE_DAYS} days` });
}
