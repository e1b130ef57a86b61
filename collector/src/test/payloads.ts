/**
 * fast-check generators of hostile and of valid payloads, shared by the in-process fuzz test
 * and its real-Kafka counterpart. Every "bad" event is invalid by construction (each kind breaks
 * exactly one rule the collector enforces), so a test can say how many events must be refused.
 */

import { LIMITS } from '@waymark/contract/limits';
import { EVENT_TYPES } from '@waymark/contract/wire';
import fc from 'fast-check';

const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const properties = fc.dictionary(key, scalar, { maxKeys: 6 });

/** A valid event of any type, with a unique messageId (`fuzz-…`) for tracing it downstream. */
export const validEvent = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES),
    anonymousId: fc.uuid(),
    properties,
    url: fc.constantFrom(
      'https://shop.example/',
      'https://shop.example/?utm_source=google&utm_medium=cpc',
      'https://shop.example/p?gclid=x1',
      'https://shop.example/?utm_source=newsletter&utm_medium=email',
    ),
    referrer: fc.constantFrom('', 'https://www.google.com/', 'https://news.example/a'),
    // What analytics.js sends for what it does not know: null, read as absent.
    unknown: fc.constantFrom({}, { timestamp: null }, { sentAt: null, integrations: null }),
  })
  .map(({ type, anonymousId, properties, url, referrer, unknown }) => ({
    type,
    messageId: `fuzz-${crypto.randomUUID()}`,
    anonymousId,
    event: 'fuzzed',
    previousId: 'prev-1',
    groupId: 'group-1',
    // An alias links previousId to a user id, so a valid one carries both.
    ...(type === 'alias' ? { userId: `user-${anonymousId}` } : { userId: null }),
    ...unknown,
    properties,
    context: { page: { url, referrer } },
  }));

const base = { type: 'track', event: 'e', anonymousId: 'a' };
const withField = (field: string, value: unknown) => ({ ...base, [field]: value });

function nestedArrays(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** JSON.parse gives `__proto__` as an own key, which JSON.stringify writes back out. */
const pollutingProperties = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .map((k) => JSON.parse(`{"${k}":{"polluted":true,"prototype":{"polluted":true}}}`) as object);

/** One event that must be refused, of a kind chosen at random. */
export const badEvent: fc.Arbitrary<unknown> = fc.oneof(
  // Not an object at all.
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(scalar)),
  // Wrong-typed fields.
  fc
    .record({
      field: fc.constantFrom('anonymousId', 'userId', 'messageId', 'event', 'timestamp', 'sentAt'),
      value: fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.array(scalar, { minLength: 1 }),
        fc.dictionary(key, scalar),
      ),
    })
    .map(({ field, value }) => withField(field, value)),
  fc.oneof(fc.string(), fc.integer(), fc.array(scalar)).map((v) => withField('properties', v)),
  // (A null context is valid: Segment's libraries send null for "unknown", read as absent.)
  fc.oneof(fc.string(), fc.integer()).map((v) => withField('context', v)),
  fc
    .string({ maxLength: 20 })
    .filter((t) => !(EVENT_TYPES as readonly string[]).includes(t))
    .map((t) => withField('type', t)),
  fc
    .string({ maxLength: 30 })
    .filter((t) => Number.isNaN(Date.parse(t)))
    .map((t) => withField('timestamp', t)),
  // Rules the schema alone cannot express.
  fc.constant({ type: 'track', event: 'no identity' }),
  fc.constant({ type: 'alias', userId: 'u' }),
  fc
    .integer({ min: 2100, max: 9999 })
    .map((y) => withField('timestamp', `${y}-01-01T00:00:00.000Z`)),
  // Deep, long, big.
  fc
    .integer({ min: LIMITS.maxDepth, max: 400 })
    .map((d) => withField('properties', { deep: nestedArrays(d) })),
  fc
    .integer({ min: LIMITS.maxStringLength + 1, max: 20_000 })
    .map((n) => withField('event', 'x'.repeat(n))),
  fc
    .integer({ min: LIMITS.maxKeyLength + 1, max: 2000 })
    .map((n) => withField('properties', { ['k'.repeat(n)]: 1 })),
  fc
    .integer({ min: 5, max: 12 })
    .map((n) =>
      withField(
        'properties',
        Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, 'y'.repeat(8000)])),
      ),
    ),
  // Prototype pollution and strings that are not Unicode.
  pollutingProperties.map((p) => withField('properties', p)),
  pollutingProperties.map((p) => withField('context', p)),
  fc.constantFrom('\uD800', '\uDFFF', 'a\uDBFFb').map((s) => withField('event', s)),
);

/** A whole body that must be refused with a 4xx before any event is looked at. */
export const badBody: fc.Arbitrary<{ body: string | Buffer; headers?: Record<string, string> }> =
  fc.oneof(
    fc.string({ maxLength: 200 }).map((body) => ({ body })),
    fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ body })),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ body: Buffer.from(b) })),
    // Invalid UTF-8 inside otherwise valid JSON.
    fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82]).map((bad) => ({
      body: Buffer.concat([
        Buffer.from('{"batch":[{"type":"track","event":"'),
        Buffer.from(bad),
        Buffer.from('","anonymousId":"a"}]}'),
      ]),
    })),
    fc
      .jsonValue({ maxDepth: 3 })
      .filter(
        (v) =>
          typeof v !== 'object' ||
          v === null ||
          Array.isArray(v) ||
          !Array.isArray((v as { batch?: unknown }).batch),
      )
      .map((v) => ({ body: JSON.stringify(v) ?? 'null' })),
    fc
      .oneof(fc.constant([]), fc.string(), fc.integer(), fc.dictionary(key, scalar))
      .map((batch) => ({ body: JSON.stringify({ batch }) })),
    fc
      .integer({ min: LIMITS.maxBatchEvents + 1, max: 700 })
      .map((n) => ({ body: JSON.stringify({ batch: Array(n).fill(base) }) })),
    fc
      .integer({ min: 1, max: 50_000 })
      .map((d) => ({ body: `{"batch":${'['.repeat(d)}${']'.repeat(d)}}` })),
    fc.constant({
      body: `{"batch":[${JSON.stringify(base)}],"pad":"${'p'.repeat(LIMITS.maxBodyBytes)}"}`,
    }),
    fc
      .uint8Array({ minLength: 1, maxLength: 100 })
      .map((b) => ({ body: Buffer.from(b), headers: { 'content-encoding': 'gzip' } })),
    fc
      .constantFrom('deflate', 'br', 'compress')
      .map((enc) => ({ body: '{"batch":[]}', headers: { 'content-encoding': enc } })),
    fc
      .constantFrom(
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
      )
      .map((ct) => ({ body: 'a=b', headers: { 'content-type': ct } })),
    // Envelope fields of the wrong type.
    fc
      .oneof(fc.integer(), fc.constant('yesterday'), fc.array(scalar))
      .map((sentAt) => ({ body: JSON.stringify({ sentAt, batch: [base] }) })),
    fc.constant({ body: JSON.stringify({ context: { deep: nestedArrays(50) }, batch: [base] }) }),
  );

/** A batch of bad events with valid ones mixed in, in random order. */
export const mixedBatch = fc
  .tuple(fc.array(badEvent, { minLength: 1, maxLength: 6 }), fc.array(validEvent, { maxLength: 4 }))
  .chain(([bad, valid]) =>
    fc
      .shuffledSubarray(
        [...bad.map((e) => ({ ok: false, e })), ...valid.map((e) => ({ ok: true, e }))],
        {
          minLength: bad.length + valid.length,
        },
      )
      .map((items) => ({
        batch: items.map((i) => i.e),
        validIds: items.filter((i) => i.ok).map((i) => (i.e as { messageId: string }).messageId),
        badIndexes: items.flatMap((i, index) => (i.ok ? [] : [index])),
      })),
  );
