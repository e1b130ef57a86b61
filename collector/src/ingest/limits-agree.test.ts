/**
 * An event the collector acknowledges is one the processor stores, at every limit's edge: each
 * event goes through the collector's whole preparation (structure, size, wire schema, identity,
 * time) and its Kafka bytes through the processor's record schema. Both sides read their
 * numbers from @waymark/contract/limits; this checks they agree on them (the 256-vs-255
 * messageId drift dead-lettered accepted events).
 */
import { LIMITS } from '@waymark/contract/limits';
import { loadProjects } from '@waymark/contract/projects';
import { recordSchema } from '@waymark/contract/record';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareEvent, type RequestFacts } from './event.js';
import { recordJson } from './record-json.js';

const RECEIVED_AT_MS = Date.parse('2026-11-20T12:00:00.000Z');

const facts = (extra: Partial<RequestFacts> = {}): RequestFacts => ({
  projectId: 'shop',
  keepIp: false,
  receivedAtMs: RECEIVED_AT_MS,
  receivedAt: new Date(RECEIVED_AT_MS).toISOString(),
  requestIp: '203.0.113.9',
  bodyBytes: LIMITS.maxBodyBytes,
  sentAt: undefined,
  context: undefined,
  type: undefined,
  ...extra,
});

/** What each side says of one raw event: acknowledged by the collector, stored by the processor. */
function verdicts(raw: Record<string, unknown>, extra: Partial<RequestFacts> = {}) {
  const prepared = prepareEvent(raw, 0, facts(extra));
  if (!prepared.ok) return { collector: false, processor: false };
  const consumed = recordSchema.safeParse(JSON.parse(recordJson(prepared.record)));
  return { collector: true, processor: consumed.success };
}

const base = { type: 'track', event: 'Order Completed', anonymousId: 'anon' };
const ID_FIELDS = ['messageId', 'anonymousId', 'userId', 'event'] as const;
/** Lengths around an id limit's edge, and anywhere below it. */
const idLength = fc.oneof(
  fc.constantFrom(1, LIMITS.maxIdLength - 1, LIMITS.maxIdLength, LIMITS.maxIdLength + 1),
  fc.integer({ min: 1, max: LIMITS.maxIdLength + 8 }),
);

describe('collector and processor agree at every limit', () => {
  it('accepts ids and event names up to maxIdLength on both sides, and none beyond', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ID_FIELDS), idLength, (field, length) => {
        const raw = { ...base, userId: 'u', [field]: 'x'.repeat(length) };
        const { collector, processor } = verdicts(raw);
        expect(collector).toBe(length <= LIMITS.maxIdLength);
        expect(processor).toBe(collector);
      }),
      { numRuns: 300 },
    );
  });

  it('stores every timestamp the collector accepts, at both ends of the accepted range', () => {
    const edges = [
      LIMITS.minTimestampMs - 1,
      LIMITS.minTimestampMs,
      RECEIVED_AT_MS + LIMITS.maxFutureMs,
      RECEIVED_AT_MS + LIMITS.maxFutureMs + 1,
    ];
    const ms = fc.oneof(
      fc.constantFrom(...edges),
      fc.integer({ min: LIMITS.minTimestampMs - 1000, max: RECEIVED_AT_MS + LIMITS.maxFutureMs }),
    );
    fc.assert(
      fc.property(ms, (at) => {
        const { collector, processor } = verdicts({
          ...base,
          timestamp: new Date(at).toISOString(),
        });
        expect(collector).toBe(
          at >= LIMITS.minTimestampMs && at <= RECEIVED_AT_MS + LIMITS.maxFutureMs,
        );
        expect(processor).toBe(collector);
      }),
      { numRuns: 300 },
    );
    // And the range itself lies inside what the processor can store, whenever a request arrives
    // while the store's range lasts.
    expect(LIMITS.minTimestampMs).toBeGreaterThanOrEqual(LIMITS.minStorableMs);
  });

  it('stores events of every project id a project file may declare, up to maxProjectIdLength', () => {
    for (const length of [1, LIMITS.maxProjectIdLength - 1, LIMITS.maxProjectIdLength]) {
      const id = 'p'.repeat(length);
      const [project] = loadProjects({
        WAYMARK_PROJECTS: JSON.stringify([{ id, writeKey: 'wk_limits_test' }]),
      });
      expect(project?.id).toBe(id);
      expect(verdicts(base, { projectId: id })).toEqual({ collector: true, processor: true });
    }
    const tooLong = JSON.stringify([
      { id: 'p'.repeat(LIMITS.maxProjectIdLength + 1), writeKey: 'wk_limits_test' },
    ]);
    expect(() => loadProjects({ WAYMARK_PROJECTS: tooLong })).toThrow(/projects\.0\.id/);
  });

  it('stores the largest event the collector accepts', () => {
    // Strings at their limit, as many as fit under the event's byte limit.
    const value = 'v'.repeat(LIMITS.maxStringLength);
    const count = Math.floor(LIMITS.maxEventBytes / (LIMITS.maxStringLength + 16)) - 1;
    const properties = Object.fromEntries(
      Array.from({ length: count }, (_, n) => [`k${n}`, value]),
    );
    const raw = { ...base, messageId: 'm'.repeat(LIMITS.maxIdLength), properties };
    expect(verdicts(raw)).toEqual({ collector: true, processor: true });
  });
});
