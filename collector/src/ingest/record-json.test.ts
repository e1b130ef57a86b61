import type { CollectedEvent } from '@waymark/contract/record';
import { CHANNELS, type ChannelTouch, type JsonValue } from '@waymark/contract/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validEvent } from '../test/payloads.js';
import { prepareEvent } from './event.js';
import { recordJson } from './record-json.js';

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

describe('recordJson', () => {
  it('writes the same bytes as JSON.stringify for any record, frozen touches or not', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string(),
        touch,
        touch,
        fc.boolean(),
        fc.jsonValue(),
        (projectId, ip, sessionTouch, firstTouch, freeze, properties) => {
          const record: CollectedEvent = {
            projectId,
            receivedAt: '2026-11-20T12:00:00.000Z',
            timestamp: '2026-11-20T11:59:00.000Z',
            ip,
            sessionTouch: freeze ? Object.freeze(sessionTouch) : sessionTouch,
            firstTouch,
            event: {
              type: 'track',
              event: 'x',
              messageId: 'm',
              properties: { nested: properties as JsonValue },
            },
          };
          expect(recordJson(record)).toBe(JSON.stringify(record));
          // A second time, from what was kept.
          expect(recordJson(record)).toBe(JSON.stringify(record));
        },
      ),
    );
  });

  it('writes the same bytes as JSON.stringify for the records prepareEvent builds', () => {
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
    fc.assert(
      fc.property(fc.array(validEvent, { minLength: 1, maxLength: 5 }), (events) => {
        events.forEach((raw, i) => {
          const prepared = prepareEvent(raw, i, facts);
          expect(prepared.ok).toBe(true);
          if (prepared.ok) {
            expect(recordJson(prepared.record)).toBe(JSON.stringify(prepared.record));
          }
        });
      }),
    );
  });
});
