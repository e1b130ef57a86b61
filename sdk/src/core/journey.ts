import type { JsonValue } from '@waymark/contract/wire';

/** Event properties: JSON values; `undefined` ones are left out. */
export type Properties = { [key: string]: JsonValue | undefined };

/**
 * The journey events with typed properties, so that `track('order_completed', …)` is checked
 * at compile time. Names follow Segment's e-commerce spec in snake case; which stage each one
 * counts for is project configuration in the dashboards, these are the defaults.
 */
export interface JourneyEvents {
  /** engagement */
  product_viewed: Properties & {
    productId: string;
    name?: string;
    price?: number;
    currency?: string;
  };
  /** engagement */
  signed_up: Properties & { method?: string };
  /** engagement */
  lead_submitted: Properties & { form?: string };
  /** engagement */
  checkout_started: Properties & { value?: number; currency?: string };
  /** transaction */
  order_completed: Properties & { revenue: number; currency: string; orderId: string };
  /** transaction */
  subscription_started: Properties & { plan: string; revenue?: number; currency?: string };
}

export type JourneyEvent = keyof JourneyEvents;
