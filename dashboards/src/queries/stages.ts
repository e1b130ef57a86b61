/**
 * Stage rules: which events put a person in which journey stage. Project configuration with
 * defaults; the query builders turn them into SQL predicates at query time, so a changed rule
 * applies to all historical data at once (nothing is materialized per stage).
 */
import { eventNameKey, eventNameKeySql } from '@waymark/contract/event-name';
import { EVENT_TYPES } from '@waymark/contract/wire';
import { z } from 'zod';
import type { SqlParams } from '../sql/params.js';

export const STAGES = ['awareness', 'engagement', 'transaction', 'retention'] as const;
export type Stage = (typeof STAGES)[number];

const eventName = z
  .string()
  .min(1)
  .max(200)
  .refine((name) => eventNameKey(name) !== '', 'must contain a letter or digit');

/**
 * Default engagement events: Segment's e-commerce spec up to the checkout, its B2B SaaS spec's
 * sign-up and trial events, and Waymark's own names. Written as the spec writes them; matching
 * ignores case and spaces / underscores / hyphens (event-name.ts), so `Product Viewed`,
 * `product_viewed` and `product-viewed` are all this list's first entry.
 */
export const DEFAULT_ENGAGEMENT_EVENTS = [
  // Segment e-commerce: browsing, cart and checkout.
  'Products Searched',
  'Product List Viewed',
  'Product List Filtered',
  'Promotion Clicked',
  'Product Clicked',
  'Product Viewed',
  'Product Added',
  'Product Added to Wishlist',
  'Product Shared',
  'Product Reviewed',
  'Cart Viewed',
  'Cart Shared',
  'Coupon Entered',
  'Checkout Started',
  'Checkout Step Viewed',
  'Checkout Step Completed',
  'Payment Info Entered',
  // Segment B2B SaaS: accounts and trials.
  'Signed Up',
  'Account Created',
  'Trial Started',
  'Invite Sent',
  // Waymark's own.
  'Lead Submitted',
  'Content Viewed',
] as const;

/** Default transaction events: Segment's `Order Completed`, and generic purchase names. */
export const DEFAULT_TRANSACTION_EVENTS = [
  'Order Completed',
  'Purchase',
  'Subscription Started',
] as const;

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
        events: z.array(eventName).default([...DEFAULT_ENGAGEMENT_EVENTS]),
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
          .default([...DEFAULT_TRANSACTION_EVENTS]),
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

/** What a stage predicate reads of an event: its type and the hash of its name's key. */
export interface EventTerms {
  type: string;
  /** The event name's key (event-name.ts). */
  nameKey: string;
}

/** The terms of an events row (columns `type` and `event`). */
export const EVENT_ROW_TERMS: EventTerms = {
  type: 'type',
  nameKey: eventNameKeySql('event'),
};

function trackEventIn(
  params: SqlParams,
  events: readonly string[],
  terms: EventTerms,
  hint: string,
): string {
  if (events.length === 0) return '0';
  const keys = [...new Set(events.map(eventNameKey))];
  return `(${terms.type} = 'track' AND has(${params.strings(keys, hint)}, ${terms.nameKey}))`;
}

/**
 * SQL boolean expressions over an event's terms — the columns of an events row by default, or
 * the elements of a device summary's arrays. Names match by their key (`Order Completed` =
 * `order_completed`, event-name.ts): the rules' names are keyed here and the stored names in
 * SQL. The rules' values are bound in `params` when a predicate is first
 * read, so a query binds only the lists it uses.
 */
export function stagePredicates(
  params: SqlParams,
  rules: StageRules,
  terms: EventTerms = EVENT_ROW_TERMS,
) {
  const trackEvent = (events: readonly string[], hint: string) =>
    trackEventIn(params, events, terms, hint);
  return {
    get awareness() {
      return `${terms.type} IN ${params.strings(rules.awareness.types, 'atypes')}`;
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
