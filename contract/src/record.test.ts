import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CollectedEvent,
  type CollectedRecord,
  collectedEventsOf,
  type EventOutcome,
  encodeRecords,
  type LoadableRecord,
  RECORD_MAX_BYTES,
  recordEvents,
  singleEventValue,
} from './record.js';
import { CHANNELS, type ChannelTouch } from './wire.js';

const touch = (channel: ChannelTouch['channel'], source = ''): ChannelTouch =>
  Object.freeze({
    channel,
    source,
    medium: '',
    campaign: '',
    term: '',
    content: '',
    clickIdType: '',
    referrerHost: '',
  });

const DIRECT = touch('direct');
const PAID = touch('paid', 'google');

function collected(messageId: string, extra: Partial<CollectedEvent> = {}): CollectedEvent {
  return {
    projectId: 'shop',
    receivedAt: '2026-11-20T10:00:01.250Z',
    timestamp: '2026-11-20T10:00:00.750Z',
    ip: '203.0.113.0',
    sessionTouch: PAID,
    firstTouch: DIRECT,
    event: { type: 'track', event: 'Signed Up', anonymousId: 'anon-1', messageId },
    ...extra,
  };
}

/** The record `encodeRecords` must have written for these events, built the plain way. */
function plainRecord(events: readonly CollectedEvent[]): CollectedRecord {
  const touches: ChannelTouch[] = [];
  const keys: string[] = [];
  const indexOf = (t: ChannelTouch) => {
    const key = JSON.stringify(t);
    if (!keys.includes(key)) {
      keys.push(key);
      touches.push(t);
    }
    return keys.indexOf(key);
  };
  const [first] = events as [CollectedEvent];
  return {
    v: 2,
    projectId: first.projectId,
    receivedAt: first.receivedAt,
    ip: first.ip,
    touches,
    events: events.map((e) => ({
      session: indexOf(e.sessionTouch),
      first: indexOf(e.firstTouch),
      ...(e.ip === first.ip ? {} : { ip: e.ip }),
      timestamp: e.timestamp,
      event: e.event,
    })),
  };
}

const touchArb = fc
  .record({
    channel: fc.constantFrom(...CHANNELS),
    source: fc.string({ maxLength: 8 }),
    campaign: fc.string({ maxLength: 8 }),
  })
  .map(({ channel, source, campaign }) => ({ ...touch(channel, source), campaign }));

const eventArb = fc.record({
  timestamp: fc.constantFrom('2026-11-20T10:00:00.750Z', '2026-11-20T10:00:00Z'),
  ip: fc.constantFrom('203.0.113.0', '198.51.100.0'),
  sessionTouch: touchArb,
  firstTouch: touchArb,
  name: fc.string({ maxLength: 40, unit: 'binary' }),
  messageId: fc.uuid(),
});

const toCollected = (e: ReturnType<typeof eventArb.generate>['value']): CollectedEvent => ({
  ...collected(e.messageId, { timestamp: e.timestamp, ip: e.ip }),
  sessionTouch: e.sessionTouch,
  firstTouch: e.firstTouch,
  event: { type: 'track', event: e.name, anonymousId: 'anon-1', messageId: e.messageId },
});

describe('version-2 records', () => {
  it('are the bytes JSON.stringify writes for the record, each touch once', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 30 }), (generated) => {
        const events = generated.map(toCollected);
        const values = encodeRecords(events);
        expect(values).toEqual([JSON.stringify(plainRecord(events))]);
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('read back as the events that went in, through the processor-side validation', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 30 }), (generated) => {
        const events = generated.map(toCollected);
        const [value] = encodeRecords(events) as [string];
        const read = recordEvents(JSON.parse(value));
        expect(read.ok && read.version).toBe(2);
        if (!read.ok) return;
        expect(read.events).toEqual(events.map((record) => ({ ok: true, record })));
        expect(collectedEventsOf(value)).toEqual(events);
      }),
      { numRuns: 200, seed: 17 },
    );
  });

  it('split where one would pass the byte bound, in order, each value within it', () => {
    // Multi-byte text: the bound is in UTF-8 bytes, not characters.
    const big = (i: number) =>
      collected(`m-${i}`, {
        sessionTouch: i % 2 === 0 ? PAID : touch('email', `news-${i % 5}`),
        event: {
          type: 'track',
          event: 'Viewed',
          anonymousId: 'anon-1',
          messageId: `m-${i}`,
          properties: { text: 'ü€'.repeat(3000 + i) },
        },
      });
    const events = Array.from({ length: 120 }, (_, i) => big(i));
    const values = encodeRecords(events);
    expect(values.length).toBeGreaterThan(5);
    for (const value of values) {
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(RECORD_MAX_BYTES);
      const record = JSON.parse(value) as CollectedRecord;
      // Each record carries only the touches its own events use.
      const used = new Set(record.events.flatMap((e) => [e.session, e.first]));
      expect(used.size).toBe(record.touches.length);
    }
    expect(values.flatMap((v) => collectedEventsOf(v))).toEqual(events);
    // Full: the next event would not have fitted.
    const first = values[0] as string;
    const next = events[(JSON.parse(first) as CollectedRecord).events.length] as CollectedEvent;
    expect(
      Buffer.byteLength(first) + Buffer.byteLength(JSON.stringify(next.event)),
    ).toBeGreaterThan(RECORD_MAX_BYTES);
  });

  it('hold an event alone when it is larger than the bound (never an empty record)', () => {
    const values = encodeRecords([collected('a'), collected('b')], 100);
    expect(values.map((v) => collectedEventsOf(v).map((e) => e.event.messageId))).toEqual([
      ['a'],
      ['b'],
    ]);
    expect(encodeRecords([])).toEqual([]);
  });
});

describe('recordEvents', () => {
  const value = () =>
    JSON.parse(
      encodeRecords([collected('a'), collected('b'), collected('c')])[0] as string,
    ) as CollectedRecord & { events: unknown[] };

  it('reads a version-1 record (one event, no "v") as before', () => {
    const read = recordEvents(JSON.parse(JSON.stringify(collected('old'))));
    expect(read).toEqual({
      ok: true,
      version: 1,
      events: [{ ok: true, record: collected('old') }],
    });
    const bad = recordEvents({ ...collected('old'), receivedAt: 'yesterday' });
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining('receivedAt') });
  });

  it('refuses one invalid event alone, with its index and reason; its neighbours load', () => {
    const record = value();
    (record.events[1] as { event: { messageId: string } }).event.messageId = '';
    record.events.push({ session: 7, first: 0, timestamp: '2026-11-20T10:00:00Z', event: {} });
    const read = recordEvents(record);
    if (!read.ok) throw new Error(read.reason);
    expect(read.events.map((e) => e.ok)).toEqual([true, false, true, false]);
    expect(read.events[1]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('events.1.event.messageId'),
    });
    expect(read.events[3]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('events.3'),
    });
    const tooFar = value();
    (tooFar.events[2] as { first: number }).first = 5;
    const far = recordEvents(tooFar);
    expect(far.ok && far.events[2]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('touch index out of range'),
    });
  });

  it('refuses a record whose shared part is invalid as a whole', () => {
    for (const broken of [
      { ...value(), projectId: '' },
      { ...value(), receivedAt: '3000-01-01T00:00:00Z' },
      { ...value(), touches: [] },
      { ...value(), touches: [{ channel: 'tv' }] },
      { ...value(), events: [] },
      { ...value(), events: 'nope' },
      { ...value(), v: 3 },
    ]) {
      expect(recordEvents(broken)).toMatchObject({ ok: false, reason: /^invalid record — / });
    }
    expect(recordEvents([1])).toMatchObject({ ok: false });
    expect(recordEvents(null)).toMatchObject({ ok: false });
  });
});

describe('singleEventValue', () => {
  it('keeps the record with that event alone', () => {
    const [value] = encodeRecords([collected('a'), collected('b')]) as [string];
    const single = singleEventValue(Buffer.from(value), 1);
    expect(collectedEventsOf(single)).toEqual([collected('b')]);
    const read = recordEvents(JSON.parse(single.toString()));
    expect(read.ok && read.events).toEqual([{ ok: true, record: collected('b') }]);
  });

  it('returns anything else as it is', () => {
    for (const raw of ['not json', JSON.stringify(collected('a')), '{"events":3}']) {
      expect(singleEventValue(Buffer.from(raw), 0).toString()).toBe(raw);
    }
  });
});

describe('the fast path of event validation', () => {
  // Values near every rule's edge, valid or not, for each field the schema checks.
  const anything = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -2, max: 3 }),
    fc.double(),
    fc.constantFrom('', 'x', 'a'.repeat(256), 'a'.repeat(257), '😀'.repeat(128), '😀'.repeat(129)),
    fc.constant([]),
    fc.constant({}),
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: arb, weight: 12 }, { arbitrary: anything, weight: 1 });
  const text = maybe(fc.string({ minLength: 1, maxLength: 5 }));
  const context = maybe(
    fc.record(
      {
        page: maybe(
          fc.record(
            { url: text, path: text, referrer: text, title: text, search: text },
            { requiredKeys: [] },
          ),
        ),
        library: maybe(fc.record({ name: text, version: text }, { requiredKeys: [] })),
        userAgent: text,
        locale: text,
        traits: maybe(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }))),
        waymark: maybe(fc.record({ sessionId: text, extra: text }, { requiredKeys: [] })),
        campaign: anything,
      },
      { requiredKeys: [] },
    ),
  );
  const event = maybe(
    fc.record(
      {
        type: maybe(
          fc.constantFrom('track', 'page', 'identify', 'alias', 'group', 'screen', 'nope'),
        ),
        messageId: text,
        anonymousId: text,
        userId: text,
        previousId: text,
        event: text,
        name: text,
        properties: maybe(
          fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
        ),
        traits: maybe(fc.object({ maxDepth: 1 })),
        context,
        sentAt: text,
        timestamp: anything,
      },
      { requiredKeys: ['type', 'messageId', 'anonymousId'] },
    ),
  );
  const entry = fc.record(
    {
      session: maybe(fc.integer({ min: -1, max: 2 })),
      first: maybe(fc.integer({ min: 0, max: 2 })),
      ip: maybe(fc.constant('203.0.113.0')),
      timestamp: maybe(
        fc.constantFrom('2026-11-20T10:00:00.000Z', '2300-01-01T00:00:00Z', '2026-11-20'),
      ),
      event,
    },
    { requiredKeys: ['session', 'first', 'timestamp', 'event'] },
  );

  it('accepts only what the schema accepts, and reads it the same', () => {
    let fast = 0;
    fc.assert(
      fc.property(entry, (raw) => {
        // What the collector wrote, as the processor parses it.
        const json = JSON.parse(JSON.stringify({ ...value(), events: [raw] }));
        const viaFast = recordEvents(json);
        const viaSchema = recordEvents(json, 'schema');
        if (!viaFast.ok || !viaSchema.ok) throw new Error('the envelope is valid');
        const [f] = viaFast.events as [EventOutcome];
        const [s] = viaSchema.events as [EventOutcome];
        expect(f.ok).toBe(s.ok);
        if (f.ok && s.ok) {
          fast++;
          // The schema's output is the fast path's with unknown fields dropped.
          expect(recordEventSchemaView(f.record)).toEqual(recordEventSchemaView(s.record));
        }
      }),
      { numRuns: 3000, seed: 1604 },
    );
    expect(fast).toBeGreaterThan(50);
  });

  function value() {
    return JSON.parse(
      encodeRecords([collected('a'), collected('b', { sessionTouch: DIRECT })])[0] as string,
    );
  }
});

/** A record as the schema would have kept it: parsed again by the schema (drops unknown keys). */
function recordEventSchemaView(record: LoadableRecord) {
  const read = recordEvents(JSON.parse(JSON.stringify(record)), 'schema');
  return read.ok ? read.events : read;
}
