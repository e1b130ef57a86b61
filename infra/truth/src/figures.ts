/** What a journey set holds, counted from its model and calls: for the README, logs and tests. */
import type { JourneySet } from './model.js';
import { computeTruth, normalizeEventName } from './truth.js';

const MINUTE = 60_000;

export interface SetFigures {
  people: number;
  identifiedPeople: number;
  /** People with more than one browsing device. */
  multiDevicePeople: number;
  calls: number;
  byMethod: Record<string, number>;
  /** Calls with a userId and no anonymousId. */
  userIdOnly: number;
  sessions: number;
  /** Sessions with a touch, per channel. */
  touchSessions: Record<string, number>;
  /** Sessions that began under 30 minutes after the device's previous event (a new touch). */
  splitByTouch: number;
  conversions: number;
  attributedConversions: number;
}

export function figures(set: JourneySet): SetFigures {
  const sessions = set.people.flatMap((p) => p.sessions);
  const byMethod: Record<string, number> = {};
  let userIdOnly = 0;
  for (const call of set.calls) {
    byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
    if (!('anonymousId' in call.params) || call.params.anonymousId === undefined) userIdOnly += 1;
  }
  const touchSessions: Record<string, number> = {};
  for (const s of sessions) {
    if (s.channel) touchSessions[s.channel] = (touchSessions[s.channel] ?? 0) + 1;
  }
  let splitByTouch = 0;
  const byDevice = new Map<string, typeof sessions>();
  for (const s of sessions) byDevice.set(s.device, [...(byDevice.get(s.device) ?? []), s]);
  for (const list of byDevice.values()) {
    const ordered = [...list].sort((a, b) => a.events[0]!.at - b.events[0]!.at);
    for (let i = 1; i < ordered.length; i++) {
      const gap = ordered[i]!.events[0]!.at - ordered[i - 1]!.events.at(-1)!.at;
      if (gap < 30 * MINUTE) splitByTouch += 1;
    }
  }
  const truth = computeTruth(set.people, { range: set.range });
  const browsing = (p: JourneySet['people'][number]) =>
    new Set(p.sessions.map((s) => s.device).filter((d) => !d.startsWith('user:'))).size;
  return {
    people: set.people.length,
    identifiedPeople: set.people.filter((p) => !p.id.startsWith('anon-')).length,
    multiDevicePeople: set.people.filter((p) => browsing(p) > 1).length,
    calls: set.calls.length,
    byMethod,
    userIdOnly,
    sessions: sessions.length,
    touchSessions,
    splitByTouch,
    conversions: truth.conversions.all,
    attributedConversions: truth.conversions.attributed,
  };
}

/** Names of the set's track events, normalised, with counts (to see the spellings covered). */
export function trackNames(set: JourneySet): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const call of set.calls) {
    if (call.method !== 'track') continue;
    const name = call.params.event;
    const spellings = out[normalizeEventName(name)] ?? {};
    out[normalizeEventName(name)] = spellings;
    spellings[name] = (spellings[name] ?? 0) + 1;
  }
  return out;
}
