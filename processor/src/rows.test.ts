import type { CollectedEvent } from '@waymark/contract/record';
import { EVENT_COLUMNS } from '@waymark/contract/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowWriter } from './clickhouse/row-binary.js';
import { decodeRecord } from './decode.js';
import {
  readEventRow,
  toClickHouseDateTime,
  toEventRow,
  toIdentityRow,
  toInstantMs,
  writeEventRow,
} from './rows.js';
import { bytes, collectedEvent, GOOGLEBOT, IPHONE } from './test/records.js';

function loadable(record: CollectedEvent) {
  const decoded = decodeRecord(bytes(record));
  if (!decoded.ok) throw new Error(decoded.reason);
  const [event] = decoded.events;
  if (!event?.ok) throw new Error('not loadable');
  return event.record;
}

describe('toEventRow', () => {
  it('fills every column from the record, enriched', () => {
    const row = toEventRow(
      loadable(
        collectedEvent({
          messageId: 'm1',
          event: {
            event: 'Order Completed',
            userId: 'u1',
            properties: { total: '99.5', currency: 'eur', order_id: 'o-7', sku: 'b1' },
          },
        }),
      ),
    );
    expect(Object.keys(row).sort()).toEqual([...EVENT_COLUMNS].sort());
    expect(row).toMatchObject({
      project_id: 'p1',
      message_id: 'm1',
      type: 'track',
      event: 'Order Completed',
      anonymous_id: 'anon-1',
      user_id: 'u1',
      session_id: 's-1',
      timestamp: '2026-11-20 10:00:00.750',
      sent_at: '2026-11-20 10:00:01.000',
      received_at: '2026-11-20 10:00:01.250',
      session_channel: 'paid',
      session_source: 'google',
      session_click_id_type: 'gclid',
      session_referrer_host: 'www.google.com',
      first_channel: 'direct',
      page_url: 'https://shop.example/boots?utm_source=google',
      page_path: '/boots',
      page_title: 'Boots',
      referrer_host: 'www.google.com',
      revenue: 99.5,
      currency: 'EUR',
      order_id: 'o-7',
      browser: 'Chrome',
      browser_version: '120.0.0.0',
      os: 'Windows',
      device_type: 'desktop',
      locale: 'de-DE',
      ip: '203.0.113.0',
      is_bot: 0,
      library: 'waymark.js/0.1.0',
    });
    expect(JSON.parse(row.properties)).toEqual({
      total: '99.5',
      currency: 'eur',
      order_id: 'o-7',
      sku: 'b1',
    });
  });

  it('is deterministic, so a replayed message is the same row', () => {
    const record = loadable(collectedEvent({ messageId: 'm1' }));
    expect(toEventRow(record)).toEqual(toEventRow(structuredClone(record)));
  });

  it('recognises phones and bots', () => {
    const phone = toEventRow(
      loadable(collectedEvent({ messageId: 'm', event: { context: { userAgent: IPHONE } } })),
    );
    expect(phone).toMatchObject({ os: 'iOS', device_type: 'mobile', is_bot: 0 });
    const bot = toEventRow(
      loadable(collectedEvent({ messageId: 'm', event: { context: { userAgent: GOOGLEBOT } } })),
    );
    expect(bot).toMatchObject({ device_type: 'bot', is_bot: 1 });
  });

  it('uses defaults for a bare server-side event', () => {
    const row = toEventRow(
      loadable(
        collectedEvent({ messageId: 'm', event: { context: undefined, sentAt: undefined } }),
      ),
    );
    expect(row).toMatchObject({
      page_path: '',
      referrer_host: '',
      device_type: 'other',
      browser: '',
      revenue: 0,
      currency: '',
      sent_at: '2026-11-20 10:00:01.250',
      properties: '{}',
    });
  });

  it('stores the client clock as receivedAt when it lies outside what every column holds', () => {
    // Year 1 and 9999 are valid ISO-8601, so the collector accepts them as sentAt; a server
    // would clamp them, each release its own way.
    for (const sentAt of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', 'yesterday']) {
      const row = toEventRow(loadable(collectedEvent({ messageId: 'm', event: { sentAt } })));
      expect(row.sent_at, sentAt).toBe('2026-11-20 10:00:01.250');
    }
  });

  it('names page events by their page name', () => {
    const row = toEventRow(
      loadable(
        collectedEvent({ messageId: 'm', event: { type: 'page', event: undefined, name: 'Home' } }),
      ),
    );
    expect(row.event).toBe('Home');
  });
});

describe('toInstantMs', () => {
  it('is the instant Date.parse reads, for every ISO-8601 form', () => {
    const iso = fc
      .record({
        ms: fc.integer({ min: 0, max: Date.UTC(2105, 11, 31) }),
        fraction: fc.stringMatching(/^(\.\d{1,9})?$/),
        zone: fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', 'z'),
      })
      .map(
        ({ ms, fraction, zone }) => `${new Date(ms).toISOString().slice(0, 19)}${fraction}${zone}`,
      );
    fc.assert(
      fc.property(iso, (text) => {
        const parsed = Date.parse(text);
        const expected = Number.isFinite(parsed) ? parsed : Date.parse('2000-01-01T00:00:00Z');
        expect(toInstantMs(text, '2000-01-01T00:00:00Z')).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toClickHouseDateTime', () => {
  it('keeps the milliseconds, so events within one second keep their order', () => {
    expect(toClickHouseDateTime('2026-11-20T10:00:00.007Z', '2000-01-01T00:00:00Z')).toBe(
      '2026-11-20 10:00:00.007',
    );
    expect(toClickHouseDateTime('2026-11-20T10:00:00.1Z', '2000-01-01T00:00:00Z')).toBe(
      '2026-11-20 10:00:00.100',
    );
  });

  it('writes the UTC millisecond of any instant Date.parse accepts, as the general path does', () => {
    const general = (iso: string) =>
      new Date(Date.parse(iso)).toISOString().slice(0, 23).replace('T', ' ');
    for (const iso of [
      '2026-11-20T10:00:00Z',
      '2026-11-20T10:00:00.999Z',
      '2026-11-20T10:00:00.9999Z',
      '2026-11-20T10:00:00.5Z',
      '2026-11-20T10:00:00.05Z',
      '2026-11-20T10:00:00.123456789Z',
      '2026-02-30T10:00:00.250Z',
      '2026-02-30T10:00:00Z', // Date.parse rolls the day over; so must the fast path
      '2026-11-20T24:00:00Z',
      '2026-11-20T12:00:00.500+02:00',
      '2026-11-20',
    ]) {
      expect(toClickHouseDateTime(iso, '2000-01-01T00:00:00Z'), iso).toBe(general(iso));
      // the second call is served from the memo
      expect(toClickHouseDateTime(iso, '2000-01-01T00:00:00Z'), iso).toBe(general(iso));
    }
  });

  it('falls back for missing or unparsable text', () => {
    const fallback = '2026-11-20T10:00:01.250Z';
    for (const text of [
      undefined,
      null,
      '',
      'yesterday',
      '2026-11-20T23:60:00Z',
      '2026-11-20T24:00:00.500Z', // hour 24 only as 24:00:00 exactly
    ]) {
      expect(toClickHouseDateTime(text, fallback)).toBe('2026-11-20 10:00:01.250');
    }
  });
});

describe('toIdentityRow', () => {
  it('links the anonymous id to the user id on identify', () => {
    const row = toIdentityRow(
      loadable(collectedEvent({ messageId: 'm', event: { type: 'identify', userId: 'u1' } })),
    );
    expect(row).toEqual({
      project_id: 'p1',
      anonymous_id: 'anon-1',
      user_id: 'u1',
      timestamp: '2026-11-20 10:00:00.750',
      message_id: 'm',
    });
  });

  it('links the previous id to the user id on alias', () => {
    const row = toIdentityRow(
      loadable(
        collectedEvent({
          messageId: 'm',
          event: { type: 'alias', previousId: 'old', userId: 'u2' },
        }),
      ),
    );
    expect(row).toMatchObject({ anonymous_id: 'old', user_id: 'u2' });
  });

  it('links the two ids of any event that carries both (analytics.js after an identify)', () => {
    const row = toIdentityRow(
      loadable(collectedEvent({ messageId: 'm', event: { type: 'track', userId: 'u3' } })),
    );
    expect(row).toMatchObject({ user_id: 'u3', message_id: 'm' });
    expect(row?.anonymous_id).not.toBe('');
  });

  it('links nothing for events with one id', () => {
    expect(toIdentityRow(loadable(collectedEvent({ messageId: 'm' })))).toBeUndefined();
    const noAnon = collectedEvent({
      messageId: 'm',
      event: { type: 'identify', userId: 'u', anonymousId: undefined },
    });
    expect(toIdentityRow(loadable(noAnon))).toBeUndefined();
  });
});

describe('writeEventRow', () => {
  it('is the row toEventRow builds, as RowBinary, shared columns encoded once', () => {
    const shared = {};
    const records = [
      loadable(collectedEvent({ messageId: 'a' })),
      loadable(collectedEvent({ messageId: 'b', event: { userAgent: IPHONE } as never })),
      loadable(collectedEvent({ messageId: 'c', event: { properties: { total: 5 } } })),
      loadable(
        collectedEvent({
          messageId: 'long ünïcødé ✓ 🚀'.repeat(10),
          event: { properties: { title: 'x'.repeat(70_000) } },
        }),
      ),
    ];
    const out = new RowWriter(16);
    const ends: number[] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (const record of records) {
        writeEventRow(out, record, shared);
        ends.push(out.length);
      }
    }
    const bytes = out.finish();
    ends.forEach((end, i) => {
      const row = readEventRow(bytes.subarray(ends[i - 1] ?? 0, end));
      expect(row).toEqual(toEventRow(records[i % records.length] as never));
    });
  });
});
