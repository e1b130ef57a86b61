import { LIMITS } from '@waymark/contract/limits';
import { isStorableInstant } from '@waymark/contract/record';
import { describe, expect, it } from 'vitest';
import { decodeRecord } from './decode.js';
import { bytes, collectedEvent, recordOf } from './test/records.js';

const only = (decoded: ReturnType<typeof decodeRecord>) =>
  decoded.ok && decoded.events.length === 1 && decoded.events[0]?.ok
    ? decoded.events[0].record
    : undefined;

describe('decodeRecord', () => {
  it('accepts what the collector produces', () => {
    const record = collectedEvent({ messageId: 'm1' });
    const decoded = decodeRecord(bytes(record));
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && decoded.version).toBe(1);
    expect(only(decoded)?.event.messageId).toBe('m1');
  });

  it('accepts an identify that carries traits but no userId (valid Segment)', () => {
    const record = collectedEvent({
      messageId: 'm-traits',
      event: { type: 'identify', userId: undefined, traits: { plan: 'pro' } },
    });
    const decoded = decodeRecord(bytes(record));
    expect(decoded.ok).toBe(true);
  });

  it('holds every id and event name to the wire limit, as the collector does', () => {
    for (const field of ['anonymousId', 'userId', 'previousId', 'event', 'name'] as const) {
      const at = (length: number) =>
        decodeRecord(
          bytes(
            collectedEvent({ messageId: 'm', event: { userId: 'u', [field]: 'x'.repeat(length) } }),
          ),
        );
      expect(at(LIMITS.maxIdLength).ok, field).toBe(true);
      const over = at(LIMITS.maxIdLength + 1);
      expect(over.ok, field).toBe(false);
      expect(!over.ok && over.reason, field).toContain(`event.${field}`);
    }
  });

  it('keeps every property, including unknown ones', () => {
    const record = collectedEvent({
      messageId: 'm1',
      event: { properties: { plan: 'pro', nested: { a: [1, 2] } } },
    });
    const decoded = decodeRecord(bytes(record));
    expect(only(decoded)?.event.properties).toEqual({
      plan: 'pro',
      nested: { a: [1, 2] },
    });
  });

  it.each([
    ['an empty message', null, 'parse', 'empty message'],
    ['bytes that are not JSON', Buffer.from('{"projectId": '), 'parse', 'not JSON'],
    ['JSON that is not a record', bytes([1, 2, 3]), 'validate', 'invalid record'],
    [
      'a record without a messageId',
      bytes({ ...collectedEvent({ messageId: 'x' }), event: { type: 'track', anonymousId: 'a' } }),
      'validate',
      'event.messageId',
    ],
    [
      'properties that are not an object',
      bytes({
        ...collectedEvent({ messageId: 'x' }),
        event: { type: 'track', messageId: 'x', anonymousId: 'a', properties: [1, 2] },
      }),
      'validate',
      'event.properties',
    ],
    [
      'an unknown event type',
      bytes(collectedEvent({ messageId: 'm', event: { type: 'nope' as 'track' } })),
      'validate',
      'event.type',
    ],
    [
      'a timestamp ClickHouse cannot store',
      bytes(collectedEvent({ messageId: 'm', timestamp: '2300-01-01T00:00:00Z' })),
      'validate',
      'timestamp',
    ],
    [
      'an event without any id of a person',
      bytes(collectedEvent({ messageId: 'm', event: { anonymousId: undefined } })),
      'validate',
      'anonymousId or userId',
    ],
    [
      'an alias without previousId',
      bytes(collectedEvent({ messageId: 'm', event: { type: 'alias', userId: 'u' } })),
      'validate',
      'alias needs',
    ],
    [
      'an unknown channel',
      bytes({
        ...collectedEvent({ messageId: 'm' }),
        firstTouch: { channel: 'tv' },
      }),
      'validate',
      'firstTouch',
    ],
  ])('rejects %s, saying why', (_what, value, stage, reason) => {
    const decoded = decodeRecord(value);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.stage).toBe(stage);
    expect(decoded.reason).toContain(reason);
  });
});

describe('decodeRecord of version-2 records', () => {
  it('reads every event of the record, sharing its fields and touches', () => {
    const events = [
      collectedEvent({ messageId: 'a' }),
      collectedEvent({ messageId: 'b', event: { type: 'identify', userId: 'u-1' } }),
      collectedEvent({ messageId: 'c', timestamp: '2026-11-20T10:00:01.000Z' }),
    ];
    const decoded = decodeRecord(recordOf(events));
    expect(decoded).toEqual({
      ok: true,
      version: 2,
      events: events.map((record) => ({ ok: true, record })),
    });
  });

  it('refuses an invalid event alone, its neighbours still loadable', () => {
    const record = JSON.parse(
      recordOf([collectedEvent({ messageId: 'a' }), collectedEvent({ messageId: 'b' })]).toString(),
    );
    record.events[0].event.type = 'nope';
    const decoded = decodeRecord(bytes(record));
    expect(decoded.ok && decoded.events.map((e) => e.ok)).toEqual([false, true]);
    expect(decoded.ok && decoded.events[0]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('events.0.event.type'),
    });
  });

  it('refuses the whole record when its shared part is invalid', () => {
    const record = JSON.parse(recordOf([collectedEvent({ messageId: 'a' })]).toString());
    const decoded = decodeRecord(bytes({ ...record, projectId: 7 }));
    expect(decoded).toMatchObject({
      ok: false,
      stage: 'validate',
      reason: expect.stringContaining('projectId'),
    });
  });
});

describe('isStorableInstant', () => {
  it('accepts exactly the instants a DateTime column holds, with or without a fraction', () => {
    const cases: [string, boolean][] = [
      ['1970-01-01T00:00:00.000Z', true],
      ['1969-12-31T23:59:59.999Z', false],
      ['2105-12-31T23:59:59.999Z', true],
      ['2105-12-31T24:00:00.500Z', false],
      ['2106-01-01T00:00:00Z', false],
      ['2026-11-20T10:00:00+02:00', true],
      ['2026-11-20T23:60:00Z', false],
      ['yesterday', false],
    ];
    for (const [value, storable] of cases) {
      expect(isStorableInstant(value), value).toBe(storable);
      expect(isStorableInstant(value), `${value} (memoised)`).toBe(storable);
    }
  });
});
