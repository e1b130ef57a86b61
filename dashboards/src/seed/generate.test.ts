import { classifyChannel } from '@waymark/contract/channel';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../queries/attribution.js';
import { generateDemo, seedOptionsSchema } from './generate.js';
import { modelWeights } from './truth.js';

const options = (extra: Record<string, unknown> = {}) =>
  seedOptionsSchema.parse({ people: 300, days: 20, end: '2026-11-20', seed: 3, ...extra });

describe('demo journeys', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(generateDemo(options())).toEqual(generateDemo(options()));
    expect(generateDemo(options({ seed: 4 })).events).not.toEqual(generateDemo(options()).events);
  });

  it('stay inside the range, in time order per person, with unique message ids', () => {
    const { events, truth } = generateDemo(options());
    expect(truth.range).toEqual({ from: '2026-11-01', to: '2026-11-20' });
    const times = events.map((e) => e.timestamp ?? '');
    expect(times.every((t) => t >= '2026-11-01T00:00:00' && t < '2026-11-21T00:00:00')).toBe(true);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length);
  });

  it('follow the channel mix and the stage rates', () => {
    const { truth } = generateDemo(
      options({
        people: 2000,
        mix: { paid: 3, email: 1 },
        rates: { engagement: 0.5, transaction: 0.5, retention: 0.5 },
      }),
    );
    expect(Object.keys(truth.stages.byFirstChannel).sort()).toEqual(['email', 'paid']);
    const paid = truth.stages.byFirstChannel.paid?.[0] ?? 0;
    expect(paid / 2000).toBeGreaterThan(0.7);
    expect(paid / 2000).toBeLessThan(0.8);
    const [a = 0, e = 0, t = 0, r = 0] = truth.stages.total;
    for (const [from, to] of [
      [a, e],
      [e, t],
      [t, r],
    ] as const) {
      expect(to / from).toBeGreaterThan(0.4);
      expect(to / from).toBeLessThan(0.6);
    }
  });

  it('land in the channels the shared classifier gives their touches', () => {
    const { events } = generateDemo(options({ people: 50 }));
    const channels = new Set(
      events.map((e) => classifyChannel(e.context?.waymark?.firstTouch ?? { url: '' }).channel),
    );
    expect(
      [...channels].every((c) =>
        ['direct', 'organic', 'paid', 'social', 'email', 'referral', 'display'].includes(c),
      ),
    ).toBe(true);
  });

  it('credit every conversion exactly once per model', () => {
    const { truth } = generateDemo(options());
    for (const model of MODELS) {
      const total = Object.values(truth.attribution[model]).reduce((s, c) => s + c.conversions, 0);
      expect(total).toBeCloseTo(truth.conversions, 9);
    }
  });
});

describe('model weights', () => {
  const day = 86_400_000;
  const path = [
    { at: 0, channel: 'email' },
    { at: day, channel: 'paid' },
    { at: 2 * day, channel: 'organic' },
    { at: 3 * day, channel: 'direct' },
  ];
  it('follow each definition', () => {
    const w = modelWeights(path, 3 * day + 60_000);
    expect(w.first_touch).toEqual([1, 0, 0, 0]);
    expect(w.last_touch).toEqual([0, 0, 0, 1]);
    expect(w.last_non_direct).toEqual([0, 0, 1, 0]);
    expect(w.linear).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(w.position_based).toEqual([0.4, 0.1, 0.1, 0.4]);
    expect(w.time_decay[3]! / w.time_decay[0]!).toBeCloseTo(2 ** (3 / 7), 9);
    expect(modelWeights([{ at: 0, channel: 'direct' }], 1000).last_non_direct).toEqual([1]);
  });
});
