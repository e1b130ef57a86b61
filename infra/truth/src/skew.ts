/**
 * The one thing the truth takes from the store: each message's stored time. The collector stores
 * `timestamp + (receivedAt − sentAt)` — the library sets sentAt when it sends a batch, so the
 * shift is that batch's latency, a few milliseconds, different on every send. The rules are kept
 * clear of it (whole seconds + 100 ms, gaps under 25 or over 40 minutes, days from midnight),
 * but time-decay credit is a function of ages to the millisecond: 2^(-age / 7 days) moves by
 * about 1e-10 per millisecond, which summed over hundreds of conversions times their revenue
 * exceeds 1e-6. So the truth is computed again with every event at its stored time; sessions,
 * channels, people and conversions stay the generator's.
 */
import type { JourneyPerson } from './model.js';

export interface Shifts {
  /** Smallest and largest stored − sent time, ms. */
  min: number;
  max: number;
  /** Messages the store does not have. */
  missing: string[];
}

/** The people with every event at its stored time (epoch ms, earliest copy). */
export function atStoredTimes(
  people: readonly JourneyPerson[],
  stored: ReadonlyMap<string, number>,
): { people: JourneyPerson[]; shifts: Shifts } {
  const shifts: Shifts = {
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    missing: [],
  };
  const moved = people.map((p) => ({
    ...p,
    sessions: p.sessions.map((s) => ({
      ...s,
      events: s.events.map((e) => {
        const at = stored.get(e.messageId);
        if (at === undefined) {
          shifts.missing.push(e.messageId);
          return e;
        }
        shifts.min = Math.min(shifts.min, at - e.at);
        shifts.max = Math.max(shifts.max, at - e.at);
        return { ...e, at };
      }),
    })),
  }));
  return { people: moved, shifts };
}
