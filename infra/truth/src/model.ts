/**
 * The journey set as its generator knows it: people, their sessions on every device (with the
 * channel each session was made to have) and every event in them, next to the Segment calls that
 * express it. The truth is computed from this model, never from what the pipeline stored.
 */

import type { IdentifyParams, PageParams, TrackParams } from '@segment/analytics-node';
import { CHANNELS, type Channel } from '@waymark/contract/wire';

export { CHANNELS, type Channel };

/** One call of `@segment/analytics-node`, with its messageId and timestamp given explicitly. */
export type SegmentCall =
  | { method: 'page'; params: PageParams & { messageId: string; timestamp: string } }
  | { method: 'track'; params: TrackParams & { messageId: string; timestamp: string } }
  | { method: 'identify'; params: IdentifyParams & { messageId: string; timestamp: string } };

export interface JourneyEvent {
  messageId: string;
  /** When it happened, epoch ms (the timestamp sent). */
  at: number;
  type: 'page' | 'screen' | 'track' | 'identify';
  /** Track: the event name as sent ('Order Completed', 'order-completed', …). */
  event?: string;
  /** Track: its properties (revenue, total, value …). */
  properties?: Record<string, unknown>;
}

export interface JourneySession {
  /** The device key: the anonymousId, else (server-side events) `user:<userId>`. */
  device: string;
  /**
   * The own-touch channel of the session's first touch-bearing event, as the generator made it;
   * null when no event of the session bears a touch (it is then no touch at all).
   */
  channel: Channel | null;
  /** In time order; the first one is the session start. */
  events: JourneyEvent[];
}

export interface JourneyPerson {
  /** The linked user id, else the only device's anonymousId. */
  id: string;
  sessions: JourneySession[];
}

export interface JourneySet {
  seed: number;
  /** The UTC days to query, inclusive; every event is days away from both ends. */
  range: { from: string; to: string };
  people: JourneyPerson[];
  /** One call per distinct message, in time order. */
  calls: SegmentCall[];
}
