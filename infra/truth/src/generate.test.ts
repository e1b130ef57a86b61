/**
 * The generator says what it made; these tests check that the calls say the same under the
 * semantics' rules, read independently: devices and people from the ids, sessions from the
 * timestamps and the shared classifier's attribution keys, channels from the first touch.
 */
import { classifyChannel } from '@waymark/contract/channel';
import { CHANNELS } from '@waymark/contract/wire';
import { describe, expect, it } from 'vitest';
import { figures, trackNames } from './figures.js';
import { generateJourneys } from './generate.js';
import type { SegmentCall } from './model.js';

const set = generateJourneys();
const MINUTE = 60_000;

interface Read {
  call: SegmentCall;
  at: number;
  device: string;
  touch: { channel: string; key: string } | null;
}

/** The own touch of one call, as semantics.md defines it. */
function ownTouch(call: SegmentCall): Read['touch'] {
  const params = call.params as {
    context?: { page?: { url?: string; referrer?: string }; campaign?: Record<string, string> };
    properties?: { url?: string; referrer?: string };
  };
  const isPage = call.method === 'page';
  const url = params.context?.page?.url || (isPage ? params.properties?.url : '') || '';
  const referrer =
    params.context?.page?.referrer || (isPage ? params.properties?.referrer : '') || '';
  const campaign = params.context?.campaign;
  if (!isPage && !url && !referrer && !campaign) return null;
  const t = classifyChannel({ url, referrer, ...(campaign ? { campaign } : {}) });
  const key =
    t.channel === 'direct' ? '' : [t.source, t.medium, t.campaign, t.term, t.content].join('|');
  return { channel: t.channel, key };
}

function read(call: SegmentCall): Read {
  const { anonymousId, userId } = call.params as { anonymousId?: string; userId?: string };
  return {
    call,
    at: Date.parse(call.params.timestamp),
    device: anonymousId ?? `user:${userId}`,
    touch: ownTouch(call),
  };
}

/** Sessions per device by the semantics' rule: timeout, or a new non-empty attribution key. */
function sessionize(calls: readonly SegmentCall[]) {
  const byDevice = new Map<string, Read[]>();
  for (const r of calls.map(read)) byDevice.set(r.device, [...(byDevice.get(r.device) ?? []), r]);
  const out = new Map<string, { channel: string | null; ids: string[] }[]>();
  for (const [device, reads] of byDevice) {
    reads.sort(
      (a, b) => a.at - b.at || a.call.params.messageId.localeCompare(b.call.params.messageId),
    );
    const sessions: { channel: string | null; ids: string[]; key: string }[] = [];
    let last = Number.NEGATIVE_INFINITY;
    for (const r of reads) {
      const current = sessions.at(-1);
      const key = r.touch?.key ?? '';
      if (!current || r.at - last > 30 * MINUTE || (key !== '' && key !== current.key)) {
        sessions.push({ channel: null, ids: [], key: '' });
      }
      const s = sessions.at(-1)!;
      if (key !== '') s.key = key;
      if (r.touch && s.channel === null) s.channel = r.touch.channel;
      s.ids.push(r.call.params.messageId);
      last = r.at;
    }
    out.set(
      device,
      sessions.map(({ channel, ids }) => ({ channel, ids })),
    );
  }
  return out;
}

describe('the generated set', () => {
  it('is the same for the same seed and different for another', () => {
    const again = generateJourneys();
    expect(again.calls).toEqual(set.calls);
    expect(generateJourneys({ seed: 15 }).calls).not.toEqual(set.calls);
  });

  it('has the sessions the generator says, by the semantics read from the calls', () => {
    const fromCalls = sessionize(set.calls);
    const fromModel = new Map<string, { channel: string | null; ids: string[] }[]>();
    for (const s of set.people.flatMap((p) => p.sessions)) {
      const list = fromModel.get(s.device) ?? [];
      list.push({ channel: s.channel, ids: s.events.map((e) => e.messageId) });
      fromModel.set(s.device, list);
    }
    for (const list of fromModel.values()) {
      list.sort((a, b) => a.ids[0]!.localeCompare(b.ids[0]!));
    }
    for (const list of fromCalls.values()) {
      list.sort((a, b) => a.ids[0]!.localeCompare(b.ids[0]!));
    }
    expect(fromCalls.size).toBe(fromModel.size);
    for (const [device, sessions] of fromModel) {
      expect(fromCalls.get(device), device).toEqual(sessions);
    }
  });

  it('puts each device in the person of the user id it is linked to', () => {
    const links = new Map<string, { at: number; userId: string }>();
    for (const r of set.calls.map(read)) {
      const { anonymousId, userId } = r.call.params as { anonymousId?: string; userId?: string };
      if (!anonymousId || !userId) continue;
      const link = links.get(anonymousId);
      if (!link || link.at <= r.at) links.set(anonymousId, { at: r.at, userId });
    }
    const personOf = (device: string) =>
      device.startsWith('user:') ? device.slice(5) : (links.get(device)?.userId ?? device);
    for (const person of set.people) {
      for (const s of person.sessions) expect(personOf(s.device), s.device).toBe(person.id);
    }
    expect(new Set(set.people.map((p) => p.id)).size).toBe(set.people.length);
  });

  it('keeps every gap clear of the timeout and every event clear of midnight and the range ends', () => {
    const from = Date.parse(`${set.range.from}T00:00:00Z`);
    const to = Date.parse(`${set.range.to}T00:00:00Z`) + 86_400_000;
    const reads = set.calls.map(read);
    for (const r of reads) {
      const hour = new Date(r.at).getUTCHours();
      expect(hour >= 7 && hour < 21, r.call.params.timestamp).toBe(true);
      expect(r.at % 1000, r.call.params.timestamp).toBe(100);
      expect(
        r.at > from + 2 * 86_400_000 && r.at < to - 2 * 86_400_000,
        r.call.params.timestamp,
      ).toBe(true);
    }
    const byDevice = new Map<string, number[]>();
    for (const r of reads) byDevice.set(r.device, [...(byDevice.get(r.device) ?? []), r.at]);
    for (const [device, times] of byDevice) {
      times.sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) {
        const gap = times[i]! - times[i - 1]!;
        expect(gap > 0 && (gap < 25 * MINUTE || gap > 40 * MINUTE), device).toBe(true);
      }
    }
  });

  it('covers what the brief asks for', () => {
    const f = figures(set);
    expect(f.people).toBeGreaterThanOrEqual(2000);
    for (const channel of CHANNELS) expect(f.touchSessions[channel], channel).toBeGreaterThan(50);
    expect(f.splitByTouch).toBeGreaterThan(100);
    expect(f.userIdOnly).toBeGreaterThan(200);
    expect(f.multiDevicePeople).toBeGreaterThan(50);
    expect(f.attributedConversions).toBeLessThan(f.conversions);
    const names = trackNames(set);
    expect(Object.keys(names.order_completed ?? {}).length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(names.product_viewed ?? {}).length).toBeGreaterThanOrEqual(3);
    // Node users' page calls: the page only in properties, no context.page.
    const plain = set.calls.filter(
      (c) => c.method === 'page' && !(c.params.context as { page?: unknown } | undefined)?.page,
    );
    expect(plain.length).toBeGreaterThan(1000);
    // No Waymark context anywhere.
    expect(JSON.stringify(set.calls)).not.toContain('waymark');
  });
});
