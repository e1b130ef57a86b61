/**
 * The wire contract: what the SDK sends and the collector accepts. Segment's HTTP Tracking API
 * (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/) plus Waymark
 * fields under `context.waymark`. The collector's zod schema is checked against these types at
 * compile time, so this file is the one definition.
 */

export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface WirePage {
  url?: string;
  path?: string;
  referrer?: string;
  title?: string;
  search?: string;
}

/** Segment's `context.campaign`: UTM parameters, `name` being utm_campaign. */
export interface WireCampaign {
  source?: string;
  medium?: string;
  name?: string;
  term?: string;
  content?: string;
}

export interface WireLibrary {
  name: string;
  version: string;
}

export interface WireContext {
  page?: WirePage;
  campaign?: WireCampaign;
  library?: WireLibrary;
  userAgent?: string;
  locale?: string;
  timezone?: string;
  ip?: string;
  /** Waymark's own fields; the collector recomputes what it does not trust. */
  waymark?: JsonObject;
  [key: string]: JsonValue | undefined | WirePage | WireCampaign | WireLibrary;
}

export interface WireEvent {
  type: EventType;
  messageId?: string;
  anonymousId?: string;
  userId?: string;
  /** `track`: the event name. */
  event?: string;
  /** `page` / `screen`: the page name. */
  name?: string;
  properties?: JsonObject;
  traits?: JsonObject;
  context?: WireContext;
  /** ISO-8601, when it happened on the client clock. */
  timestamp?: string;
  /** ISO-8601, when the client sent it (used to correct clock skew). */
  sentAt?: string;
  /** `alias`: the previous id. */
  previousId?: string;
  /** `group`: the group id. */
  groupId?: string;
  integrations?: JsonObject;
}

export interface WireBatch {
  batch: WireEvent[];
  sentAt?: string;
  writeKey?: string;
  context?: WireContext;
}
