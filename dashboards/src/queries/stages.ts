/**
 * Stage rules: which events put a person in which journey stage. Project configuration with
 * defaults; the query builders turn them into SQL predicates at query time, so a changed rule
 * applies to all historical data at once (nothing is materialized per stage).
 */
import { EVENT_TYPES } from '@waymark/contract/wire';
import { z } from 'zod';
import type { SqlParams } from '../sql/params.js';

export const STAGES = ['awareness', 'engagement', 'transaction', 'retention'] as const;
export type Stage = (typeof STAGES)[number];

const eventName = z.string().min(1).max(200);

export const stageRulesSchema = z
  .object({
    /** Any event of these types makes a person aware (identify/alias/group do not). */
    awareness: z
      .object({
        types: z.array(z.enum(EVENT_TYPES)).min(1).default(['page', 'screen', 'track']),
      })
      .strict()
      .prefault({}),
    engagement: z
      .object({
        /** `track` events that show interest. */
        events: z
          .array(eventName)
          .default(['product_viewed', 'signed_up', 'lead_submitted', 'content_viewed']),
        /** This many page views in one session also count (the N-th view is the moment); 0 turns it off. */
        minPageViewsPerSession: z.number().int().min(0).max(1000).default(2),
      })
      .strict()
      .prefault({}),
    transaction: z
      .object({
        /** `track` events that are conversions; their `revenue` is what attribution credits. */
        events: z
          .array(eventName)
          .min(1)
          .default(['order_completed', 'purchase', 'subscription_started']),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        /** A session starting at least this many (UTC) days after the first transaction's day. */
        afterDays: z.number().int().min(1).max(365).default(1),
        /** `track` events that count as coming back; empty: any awareness event. */
        events: z.array(eventName).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type StageRules = z.infer<typeof stageRulesSchema>;

export const DEFAULT_STAGE_RULES: StageRules = Object.freeze(stageRulesSchema.parse({}));

function trackEventIn(
  params: SqlParams,
  events: readonly string[],
  column: string,
  hint: string,
): string {
  return events.length === 0
    ? '0'
    : `(type = 'track' AND ${column} IN ${params.strings(events, hint)})`;
}

/**
 * SQL boolean expressions over one row with columns `type` and the event name: `event` in the
 * events table, `track_event` in the journey_days rollup (a fixed column name, never input).
 * The rules' values are bound in `params` when a predicate is first read, so a query binds
 * only the lists it uses.
 */
export function stagePredicates(
  params: SqlParams,
  rules: StageRules,
  eventColumn: 'event' | 'track_event' = 'event',
) {
  const trackEvent = (events: readonly string[], hint: string) =>
    trackEventIn(params, events, eventColumn, hint);
  return {
    get awareness() {
      return `type IN ${params.strings(rules.awareness.types, 'atypes')}`;
    },
    get engagementEvent() {
      return trackEvent(rules.engagement.events, 'eevents');
    },
    get transaction() {
      return trackEvent(rules.transaction.events, 'tevents');
    },
    get retention() {
      return rules.retention.events.length === 0
        ? this.awareness
        : trackEvent(rules.retention.events, 'revents');
    },
  };
}
