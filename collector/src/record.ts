/**
 * The Kafka record the collector produces and the processor consumes: the validated wire
 * event plus what only the server knows or decides. One definition for both sides.
 */
import type { ChannelTouch, WireEvent } from '@waymark/sdk/wire';

export interface CollectedEvent {
  projectId: string;
  /** ISO-8601, stamped by the collector when the request arrived. */
  receivedAt: string;
  /** ISO-8601: the client's timestamp corrected for clock skew (timestamp + receivedAt − sentAt). */
  timestamp: string;
  /** The client's IP, anonymized (IPv4 /24, IPv6 /48) unless the project keeps IPs; '' if unknown. */
  ip: string;
  /** Server-side classification of the session's landing touch (the client's claim is not used). */
  sessionTouch: ChannelTouch;
  /** Server-side classification of the person's first touch. */
  firstTouch: ChannelTouch;
  /** The event as validated; `messageId` always present (assigned when the client sent none). */
  event: WireEvent & { messageId: string };
}

/** Kafka key: project + person, so one person's events stay ordered in one partition. */
export function recordKey(
  projectId: string,
  event: Pick<WireEvent, 'anonymousId' | 'userId'>,
): string {
  return `${projectId}:${event.anonymousId ?? event.userId ?? ''}`;
}

/**
 * A record of the invalid-events topic (`waymark.events.invalid`): one event the collector
 * refused, with the reason and the raw payload, so refusals can be inspected and replayed.
 * Additive to the contract: the processor does not consume this topic.
 */
export interface InvalidEventRecord {
  projectId: string;
  /** ISO-8601, when the request arrived. */
  receivedAt: string;
  /** Position of the event in its batch. */
  index: number;
  /** The client's messageId when it sent a string one, else null. */
  messageId: string | null;
  /** A `WAYMARK_ERR_EVENT_*` code (collector/README.md). */
  code: string;
  /** Dotted path of the offending field; '' for the event as a whole. */
  path: string;
  reason: string;
  /** The event as received, as JSON; cut (and nesting elided) beyond 32 KB. */
  raw: string;
  rawTruncated: boolean;
}
