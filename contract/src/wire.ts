/**
 * The wire contract: what the SDK sends and the collector accepts. Segment's HTTP Tracking API
 * (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/) plus Waymark
 * fields under `context.waymark`. The zod schema beside it (wire-schema.ts) is checked against
 * these types at compile time, so this file is the one definition. Types and two constant
 * lists only: the SDK bundles it at no cost.
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

/** The seven acquisition channels, in no particular order. */
export const CHANNELS = [
  'direct',
  'referral',
  'organic',
  'paid',
  'social',
  'email',
  'display',
] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * A classified touch: what `classifyChannel` (channel.ts) returns and what the collector
 * stores for the session touch and the first touch. Absent details are ''.
 */
export interface ChannelTouch {
  channel: Channel;
  source: string;
  medium: string;
  campaign: string;
  term: string;
  content: string;
  /** The ad click id parameter seen (gclid, msclkid, fbclid, …) or ''. */
  clickIdType: string;
  /** The referrer's host name, or ''. */
  referrerHost: string;
}

/** The raw inputs of a touch, sent so that the server can classify it again itself. */
export interface WireTouch {
  /** The landing URL, with its query string (UTM parameters, click ids). */
  url: string;
  /** `document.referrer` at landing, or ''. */
  referrer: string;
  /** ISO-8601, when the touch happened. */
  timestamp?: string;
}

/** Waymark's fields under `context.waymark`. */
export interface WaymarkContext {
  sessionId: string;
  /** ISO-8601 */
  sessionStartedAt?: string;
  /** The touch that started this session. */
  sessionTouch?: WireTouch;
  /** The person's first touch ever (persisted by the SDK). */
  firstTouch?: WireTouch;
  /** Sent by earlier SDK builds (their own classification); accepted, ignored: the collector classifies. */
  channel?: Channel;
  /** Events the SDK dropped from its full offline queue since the last report. */
  droppedEvents?: number;
}

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
  waymark?: WaymarkContext;
  [key: string]: JsonValue | undefined | WirePage | WireCampaign | WireLibrary | WaymarkContext;
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
  /**
   * ISO-8601, when it happened, uncorrected: what RudderStack's libraries send instead of
   * `timestamp` (Segment's spec names both); read when `timestamp` is absent.
   */
  originalTimestamp?: string;
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
