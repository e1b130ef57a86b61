/**
 * fast-check generators of raw wire events at every limit's edge (`LIMITS`): ids, strings and
 * keys at their maximum length and one over, nesting at the depth limit and one over, objects
 * and arrays at the collection limit, timestamps at both ends of the accepted range, client
 * clocks far off, and Unicode of every width (astral, combining, controls, NUL, bidi marks).
 * Typical events are a small share: the edges are where the two sides could disagree.
 */
import { LIMITS } from '@waymark/contract/limits';
import { EVENT_TYPES } from '@waymark/contract/wire';
import fc from 'fast-check';

/** Characters of every kind a client may send: UTF-16 length 1 or 2, printable or not. */
const CHARS = [
  'a',
  'Z',
  '7',
  ' ',
  '"',
  '\\',
  '/',
  '\u0000',
  '\u001b',
  '\u007f',
  'é',
  'ß',
  '中',
  '\u0301',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\u2028',
  '😀',
  '𝕏',
];

/**
 * `atEdge` mostly, `past` now and then: an event has a dozen fields, and if each were over its
 * limit half the time hardly any event would be accepted, leaving nothing to check.
 */
const mostly = <T>(atEdge: fc.Arbitrary<T>, past: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: atEdge, weight: 12 }, { arbitrary: past, weight: 1 });

/** Lengths around `max`: 1, max − 1, max, anything up to max, and now and then max + 1. */
const lengthAround = (max: number) =>
  mostly(
    fc.oneof(fc.constantFrom(1, max - 1, max), fc.integer({ min: 1, max })),
    fc.constant(max + 1),
  );

/**
 * A string of exactly `length` UTF-16 units from a few characters: astral ones are never cut in
 * half (that would be a lone surrogate, a different refusal), the last unit is padded instead.
 */
function stringOf(length: number, chars: readonly string[]): string {
  let text = '';
  for (let i = 0; text.length < length; i++) {
    const next = chars[i % chars.length] ?? 'a';
    text += text.length + next.length > length ? 'a' : next;
  }
  return text;
}

const text = (lengths: fc.Arbitrary<number>, unicode = true) =>
  fc
    .tuple(lengths, fc.subarray(unicode ? CHARS : ['a', 'b', '-', '_', '.'], { minLength: 1 }))
    .map(([length, chars]) => stringOf(length, chars));

const id = text(lengthAround(LIMITS.maxIdLength));
/** Long strings in ASCII too, or the event's byte limit would refuse every one of them. */
const longString = fc.oneof(
  text(lengthAround(LIMITS.maxStringLength), false),
  text(fc.integer({ min: 0, max: 2000 })),
);

/** An object nested `levels` deep: { d: { d: … { leaf: 1 } } }. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { d: value };
  return value;
}

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53, 0.1),
);

/**
 * What goes in `properties` or `traits` (the event is depth 1, the object depth 2): nesting to
 * the limit and past it, the widest object and array, the longest key, e-commerce fields with
 * odd values, and random JSON.
 */
const edgeAndPast = (max: number) => mostly(fc.constant(max), fc.constant(max + 1));
const jsonObject = fc.oneof(
  edgeAndPast(LIMITS.maxDepth - 1).map(nested),
  edgeAndPast(LIMITS.maxCollectionSize).map((n) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])),
  ),
  edgeAndPast(LIMITS.maxCollectionSize).map((n) => ({
    items: Array.from({ length: n }, (_, i) => i),
  })),
  text(lengthAround(LIMITS.maxKeyLength)).map((key) => ({ [key]: true })),
  fc.record({ value: longString }),
  fc.record(
    {
      revenue: fc.oneof(number, fc.constantFrom('12.50', '', 'NaN', '1e400')),
      total: number,
      currency: fc.oneof(id, fc.constantFrom('eur', 'EUR', '')),
      order_id: fc.oneof(id, number),
      orderId: id,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(id, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 20 }),
);

const ISO_OFFSETS = ['Z', '+00:00', '+14:00', '-12:00', '+05:45'];

/** An instant written as ISO-8601 with a random offset and 0 to 9 fraction digits. */
function isoText(ms: number, offset: string, digits: number): string {
  const sign = offset === 'Z' ? 0 : offset.startsWith('-') ? -1 : 1;
  const minutes = offset === 'Z' ? 0 : Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4));
  const local = new Date(ms + sign * minutes * 60_000).toISOString();
  const fraction = digits === 0 ? '' : `.${`${local.slice(20, 23)}000000`.slice(0, digits)}`;
  return `${local.slice(0, 19)}${fraction}${offset}`;
}

const instant = (ms: fc.Arbitrary<number>) =>
  fc
    .tuple(ms, fc.constantFrom(...ISO_OFFSETS), fc.integer({ min: 0, max: 9 }))
    .map(([at, offset, digits]) => isoText(at, offset, digits));

/** Timestamps at both ends of what the collector accepts for a request at `receivedAtMs`. */
function timestamps(receivedAtMs: number) {
  const newest = receivedAtMs + LIMITS.maxFutureMs;
  return instant(
    mostly(
      fc.oneof(
        fc.constantFrom(LIMITS.minTimestampMs, newest - 1, newest),
        fc.integer({ min: LIMITS.minTimestampMs, max: newest }),
      ),
      fc.constantFrom(LIMITS.minTimestampMs - 1, newest + 1),
    ),
  );
}

/** Client clocks: right, a little off, or absurd (year 1 and year 9999 are valid ISO-8601). */
function clocks(receivedAtMs: number) {
  return fc.oneof(
    instant(fc.integer({ min: receivedAtMs - 3_600_000, max: receivedAtMs + 3_600_000 })),
    fc.constantFrom(
      '0001-01-01T00:00:00Z',
      '1899-12-31T23:59:59.999Z',
      '1969-12-31T23:59:59.999Z',
      '2106-02-07T06:28:16Z',
      '2299-12-31T23:59:59Z',
      '9999-12-31T23:59:59.999Z',
    ),
  );
}

const ip = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('2002:cb00:7165::1', '::ffff:203.0.113.9', 'fe80::1%eth0', 'not an ip', ''),
);

const touch = fc.record(
  { url: fc.oneof(fc.webUrl({ withQueryParameters: true }), longString), referrer: fc.webUrl() },
  { requiredKeys: ['url', 'referrer'] },
);

function context(receivedAtMs: number) {
  return fc.record(
    {
      ip,
      library: fc.record({ name: id, version: id }),
      userAgent: longString,
      locale: id,
      timezone: id,
      page: fc.record(
        {
          url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), longString),
          path: longString,
          referrer: fc.oneof(fc.webUrl(), longString),
          title: longString,
          search: longString,
        },
        { requiredKeys: [] },
      ),
      campaign: fc.record(
        { source: id, medium: id, name: id, term: id, content: id },
        {
          requiredKeys: [],
        },
      ),
      waymark: fc.record(
        {
          sessionId: id,
          sessionStartedAt: timestamps(receivedAtMs),
          sessionTouch: touch,
          firstTouch: touch,
          droppedEvents: fc.nat(),
        },
        { requiredKeys: ['sessionId'] },
      ),
    },
    { requiredKeys: [] },
  );
}

/** A raw event as a client may send it, its fields at and around every limit. */
export function edgeEvent(receivedAtMs: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      type: fc.constantFrom(...EVENT_TYPES),
      messageId: id,
      anonymousId: id,
      userId: id,
      previousId: id,
      groupId: id,
      event: id,
      name: id,
      timestamp: timestamps(receivedAtMs),
      sentAt: clocks(receivedAtMs),
      properties: jsonObject,
      traits: jsonObject,
      context: context(receivedAtMs),
    },
    // Everything a type requires is there most of the time, so most events are accepted.
    { requiredKeys: ['type', 'anonymousId', 'event', 'previousId', 'userId', 'groupId'] },
  );
}
