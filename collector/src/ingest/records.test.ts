import { type CollectedEvent, collectedEventsOf, encodeRecords } from '@waymark/contract/record';
import { CHANNELS, type ChannelTouch, type JsonValue } from '@waymark/contract/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validEvent } from '../test/payloads.js';
import { prepareEvent } from './event.js';
import { RequestRecords } from './records.js';

const touch = fc.record<ChannelTouch>({
  channel: fc.constantFrom(...CHANNELS),
  source: fc.string({ unit: 'binary' }),
  medium: fc.string(),
  campaign: fc.string({ unit: 'grapheme' }),
  term: fc.string(),
  content: fc.constant(''),
  clickIdType: fc.constantFrom('', 'gclid'),
  referrerHost: fc.string(),
});

const facts = {
  projectId: 'shop',
  keepIp: false,
  receivedAtMs: Date.parse('2026-11-20T12:00:00.000Z'),
  receivedAt: '2026-11-20T12:00:00.000Z',
  requestIp: '203.0.113.9',
  bodyBytes: 12_000,
  sentAt: undefined,
  context: undefined,
  type: undefined,
};

describe('a request’s records', () => {
  it('hold exactly the events that went in, frozen touches or not, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.array(fc.tuple(fc.string(), touch, touch, fc.boolean(), fc.jsonValue()), {
          minLength: 1,
          maxLength: 6,
        }),
        (projectId, rows) => {
          const events: CollectedEvent[] = rows.map(([ip, session, first, freeze, value], i) => ({
            projectId,
            receivedAt: '2026-11-20T12:00:00.000Z',
            timestamp: '2026-11-20T11:59:00.000Z',
            ip,
            sessionTouch: freeze ? Object.freeze(session) : session,
            firstTouch: first,
            event: {
              type: 'track',
              event: 'x',
              messageId: `m${i}`,
              properties: { nested: value as JsonValue },
            },
          }));
          // Twice: the second time from the touches' kept JSON.
          for (let pass = 0; pass < 2; pass++) {
            const values = encodeRecords(events);
            // JSON has no undefined and no -0: compare with what JSON keeps.
            expect(values.flatMap((v) => collectedEventsOf(v))).toEqual(
              JSON.parse(JSON.stringify(events)),
            );
          }
        },
      ),
    );
  });

  it('are one per person key, in the request’s order within each person', () => {
    fc.assert(
      fc.property(fc.array(validEvent, { minLength: 1, maxLength: 12 }), (raws) => {
        const records = new RequestRecords();
        const expected = new Map<string, string[]>();
        raws.forEach((raw, i) => {
          const prepared = prepareEvent(raw, i, facts);
          expect(prepared.ok).toBe(true);
          if (!prepared.ok) return;
          records.add(prepared.key, prepared.record);
          expected.set(prepared.key, [
            ...(expected.get(prepared.key) ?? []),
            prepared.record.event.messageId,
          ]);
        });
        const produced = records.records();
        expect(records.events).toBe(raws.length);
        expect(produced.map((r) => r.key)).toEqual([...expected.keys()]);
        for (const { key, value } of produced) {
          expect(collectedEventsOf(value).map((e) => e.event.messageId)).toEqual(expected.get(key));
        }
      }),
    );
  });
});
