/**
 * The Kafka record the collector produces and the processor consumes: the validated wire
 * event plus what only the server knows. One definition for both sides.
 */
import type { WireEvent } from '@waymark/sdk/wire';

export interface CollectedEvent {
  projectId: string;
  /** ISO-8601, stamped by the collector. */
  receivedAt: string;
  /** The event as validated; `messageId` always present. */
  event: WireEvent & { messageId: string };
}

/** Kafka key: project + person, so one person's events stay ordered in one partition. */
export function recordKey(
  projectId: string,
  event: Pick<WireEvent, 'anonymousId' | 'userId'>,
): string {
  return `${projectId}:${event.anonymousId ?? event.userId ?? ''}`;
}
