/** Event time on the server's clock: the client's timestamp corrected for its clock skew. */
import { LIMITS } from '@waymark/contract/limits';

export type CorrectedTime = { ok: true; timestamp: string } | { ok: false; reason: string };

/** Every event of a batch shares its `sentAt`: the last one read is remembered. */
let lastSentAt = '';
let lastSentAtMs = Number.NaN;
function parseSentAt(sentAt: string): number {
  if (sentAt !== lastSentAt) {
    lastSentAt = sentAt;
    lastSentAtMs = Date.parse(sentAt);
  }
  return lastSentAtMs;
}

/**
 * Below this, `receivedAt − sentAt` is the request's time on the wire and in queues, not a
 * wrong clock: a correction by it would move every event by a different few milliseconds on
 * each send, so a replay of the same events (a retry, a re-sent backlog) would store other times
 * and answer time-decay credit and medians differently. Clocks within it are trusted as they
 * are; beyond it (a phone an hour off), the whole difference is corrected.
 */
export const SKEW_TOLERANCE_MS = 10_000;

/**
 * `timestamp + (receivedAt − sentAt)`: a client clock that runs ahead or behind by more than
 * SKEW_TOLERANCE_MS is corrected by how far its `sentAt` is from when the request arrived. No
 * timestamp → receivedAt; no sentAt → the timestamp as given. Results absurdly far in the
 * future, or before 2000, are refused.
 */
export function correctTimestamp(
  receivedAtMs: number,
  timestamp: string | undefined,
  sentAt: string | undefined,
): CorrectedTime {
  if (timestamp === undefined) return { ok: true, timestamp: new Date(receivedAtMs).toISOString() };
  let ms = Date.parse(timestamp);
  if (sentAt !== undefined) {
    const skew = receivedAtMs - parseSentAt(sentAt);
    if (!(Math.abs(skew) <= SKEW_TOLERANCE_MS)) ms += skew;
  }
  if (!Number.isFinite(ms)) return { ok: false, reason: 'timestamp cannot be read as a date' };
  if (ms > receivedAtMs + LIMITS.maxFutureMs) {
    return {
      ok: false,
      reason: `timestamp is more than ${LIMITS.maxFutureMs / 3_600_000} h in the future after clock-skew correction`,
    };
  }
  if (ms < LIMITS.minTimestampMs) return { ok: false, reason: 'timestamp is before 2000-01-01' };
  return { ok: true, timestamp: new Date(ms).toISOString() };
}
