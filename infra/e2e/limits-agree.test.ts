/**
 * An event the collector acknowledges is one the processor stores, at every limit's edge:
 * generated raw events (infra/e2e/edge-events.ts) go through the collector's whole preparation
 * to their Kafka bytes, and those bytes through the processor's — record validation, enrichment,
 * row building, serialization — with every instant of the row inside what the store holds.
 * Both sides read their numbers from @waymark/contract/limits; this checks that they agree on
 * them (a 256-vs-255 messageId drift once dead-lettered accepted events).
 * limits-agree.integration.test.ts sends a sample through real Kafka and ClickHouse.
 */

import { collectBatch, collectEvent, type RequestFacts } from '@waymark/collector/test/prepare';
import { LIMITS } from '@waymark/contract/limits';
import { type CollectedEvent, collectedEventsOf, RECORD_MAX_BYTES } from '@waymark/contract/record';
import { prepareValue, readEventRow } from '@waymark/processor/test/prepare';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeEvent } from './edge-events.js';

const RECEIVED_AT_MS = Date.parse('2026-11-20T12:00:00.000Z');

const facts = (extra: Partial<RequestFacts> = {}): RequestFacts => ({
  projectId: 'p'.repeat(LIMITS.maxProjectIdLength),
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

const STORABLE = [LIMITS.minStorableMs, LIMITS.maxStorableMs] as const;
const storedMs = (text: unknown) => Date.parse(`${String(text).replace(' ', 'T')}Z`);

/** Both sides' verdicts on one raw event, as the collector would parse it from a body. */
function verdicts(raw: unknown, extra: Partial<RequestFacts> = {}) {
  const collected = collectEvent(JSON.parse(JSON.stringify(raw)), facts(extra));
  if (!collected.ok) return { collector: false as const, code: collected.rejection.code };
  const whole = prepareValue(Buffer.from(collected.value));
  // The value is a version-2 record holding this one event.
  const prepared = whole.ok
    ? (whole.events[0] ?? { ok: false as const, stage: 'validate', reason: 'no event' })
    : whole;
  return {
    collector: true as const,
    prepared,
    record: collectedEventsOf(collected.value)[0] as CollectedEvent,
  };
}

describe('whatever the collector acknowledges, the processor stores', () => {
  it('holds for generated events at every limit', () => {
    let accepted = 0;
    fc.assert(
      fc.property(edgeEvent(RECEIVED_AT_MS), (raw) => {
        const verdict = verdicts(raw);
        if (!verdict.collector) return;
        accepted++;
        const { prepared, record } = verdict;
        expect(prepared, JSON.stringify(prepared).slice(0, 500)).toMatchObject({ ok: true });
        if (!prepared.ok) return;
        const row = readEventRow(prepared.eventRow);
        expect(row.message_id).toBe(record.event.messageId);
        expect(row.project_id).toBe(record.projectId);
        for (const column of ['timestamp', 'sent_at', 'received_at'] as const) {
          const ms = storedMs(row[column]);
          expect(ms, `${column} ${row[column]}`).toBeGreaterThanOrEqual(STORABLE[0]);
          expect(ms, `${column} ${row[column]}`).toBeLessThan(STORABLE[1]);
        }
        if (prepared.identityLine !== undefined) {
          const link = JSON.parse(prepared.identityLine);
          expect(link.user_id).toBe(record.event.userId);
        }
      }),
      { numRuns: 400, seed: 20261120 },
    );
    // The generator's edges must not all be refusals: the property would hold vacuously.
    expect(accepted).toBeGreaterThan(100);
  });

  it('stores each limit exactly at its edge, and the collector refuses one past it', () => {
    const base = { type: 'track', event: 'Order Completed', anonymousId: 'anon' };
    const at = LIMITS.maxIdLength;
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['messageId', { messageId: 'm'.repeat(at) }, { messageId: 'm'.repeat(at + 1) }],
      ['anonymousId', { anonymousId: '😀'.repeat(at / 2) }, { anonymousId: 'a'.repeat(at + 1) }],
      ['userId', { userId: 'u'.repeat(at) }, { userId: 'u'.repeat(at + 1) }],
      ['event', { event: 'é'.repeat(at) }, { event: 'e'.repeat(at + 1) }],
      [
        'string',
        { properties: { s: 'v'.repeat(LIMITS.maxStringLength) } },
        { properties: { s: 'v'.repeat(LIMITS.maxStringLength + 1) } },
      ],
      [
        'key',
        { properties: { ['k'.repeat(LIMITS.maxKeyLength)]: 1 } },
        { properties: { ['k'.repeat(LIMITS.maxKeyLength + 1)]: 1 } },
      ],
      ['depth', { properties: nest(LIMITS.maxDepth - 1) }, { properties: nest(LIMITS.maxDepth) }],
      [
        'collection',
        { properties: { a: Array.from({ length: LIMITS.maxCollectionSize }, () => 0) } },
        { properties: { a: Array.from({ length: LIMITS.maxCollectionSize + 1 }, () => 0) } },
      ],
      [
        'timestamp (earliest)',
        { timestamp: new Date(LIMITS.minTimestampMs).toISOString() },
        { timestamp: new Date(LIMITS.minTimestampMs - 1).toISOString() },
      ],
      [
        'timestamp (latest)',
        { timestamp: new Date(RECEIVED_AT_MS + LIMITS.maxFutureMs).toISOString() },
        { timestamp: new Date(RECEIVED_AT_MS + LIMITS.maxFutureMs + 1).toISOString() },
      ],
    ];
    for (const [what, atEdge, past] of cases) {
      const stored = verdicts({ ...base, ...atEdge });
      expect(stored.collector, what).toBe(true);
      expect(stored.collector && stored.prepared.ok, what).toBe(true);
      expect(verdicts({ ...base, ...past }).collector, `${what} + 1`).toBe(false);
    }
  });
});

describe('a request’s records, as the processor reads them', () => {
  it('store every event the collector accepted from a batch, one person or several, fast path or schema', () => {
    fc.assert(
      fc.property(
        fc.array(edgeEvent(RECEIVED_AT_MS), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(1, 3),
        (raws, people) => {
          const batch = raws.map((raw, i) =>
            JSON.parse(JSON.stringify({ ...(raw as object), anonymousId: `anon-${i % people}` })),
          );
          const { records, accepted } = collectBatch(batch, facts());
          let stored = 0;
          for (const { value } of records) {
            expect(Buffer.byteLength(value)).toBeLessThanOrEqual(RECORD_MAX_BYTES);
            const prepared = prepareValue(Buffer.from(value));
            expect(prepared.ok, JSON.stringify(prepared).slice(0, 300)).toBe(true);
            // The fast path of validation builds the very rows the schema's output builds.
            expect(prepared).toEqual(prepareValue(Buffer.from(value), 'schema'));
            if (!prepared.ok) continue;
            for (const event of prepared.events) {
              expect(event, JSON.stringify(event).slice(0, 300)).toMatchObject({ ok: true });
              stored++;
            }
          }
          expect(stored).toBe(accepted);
          expect(new Set(records.map((r) => r.key)).size).toBeLessThanOrEqual(people);
        },
      ),
      { numRuns: 60, seed: 20261204 },
    );
  });

  it('split a batch of the largest events over several records, each within the bound', () => {
    const big = (i: number) => ({
      type: 'track',
      event: 'Viewed',
      anonymousId: 'anon',
      messageId: `big-${i}`,
      properties: { s: 'ü'.repeat(LIMITS.maxStringLength), t: 'x'.repeat(LIMITS.maxStringLength) },
    });
    const { records, accepted } = collectBatch(
      Array.from({ length: 40 }, (_, i) => big(i)),
      facts(),
    );
    expect(accepted).toBe(40);
    expect(records.length).toBeGreaterThan(1);
    const ids: string[] = [];
    for (const { value } of records) {
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(RECORD_MAX_BYTES);
      const prepared = prepareValue(Buffer.from(value));
      if (!prepared.ok) throw new Error(prepared.reason);
      for (const event of prepared.events) {
        if (!event.ok) throw new Error(event.reason);
        ids.push(readEventRow(event.eventRow).message_id);
      }
    }
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => `big-${i}`));
  });
});

function nest(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { d: value };
  return value;
}
