import { LIMITS } from '@waymark/contract/limits';
import { describe, expect, it } from 'vitest';
import type { Rejection, RequestFacts } from './event.js';
import { invalidRecord } from './invalid.js';

const facts = (extra: Partial<RequestFacts> = {}): RequestFacts => ({
  projectId: 'shop',
  keepIp: false,
  receivedAtMs: Date.parse('2026-11-20T12:00:00.000Z'),
  receivedAt: '2026-11-20T12:00:00.000Z',
  requestIp: '198.51.100.23',
  bodyBytes: 1000,
  sentAt: undefined,
  context: undefined,
  type: undefined,
  ...extra,
});

const rejection: Rejection = {
  index: 0,
  messageId: 'm-1',
  code: 'WAYMARK_ERR_EVENT_SCHEMA',
  path: 'properties.total',
  reason: 'Invalid input',
};

const refused = {
  type: 'identify',
  messageId: 'm-1',
  anonymousId: 'anon-1',
  userId: 'alice@example.com',
  event: 'Signed Up',
  timestamp: '2026-11-20T11:59:59.000Z',
  sentAt: '2026-11-20T12:00:00.000Z',
  traits: { email: 'alice@example.com', phone: '+49 30 1234567' },
  properties: { card: '4111 1111 1111 1111', total: { nested: 'x' } },
  context: {
    ip: '203.0.113.77',
    library: { name: 'analytics-node', version: '3.1.0' },
    userAgent: 'Mozilla/5.0',
    page: { url: 'https://shop.example/account?token=secret' },
  },
};

describe('invalidRecord', () => {
  it('keeps an allow-list of fields and what accepted events store of the IP, nothing else', () => {
    const { key, value } = invalidRecord(facts(), refused, rejection);
    expect(key).toBe('shop:anon-1');
    expect(JSON.parse(value)).toEqual({
      projectId: 'shop',
      receivedAt: '2026-11-20T12:00:00.000Z',
      index: 0,
      messageId: 'm-1',
      code: 'WAYMARK_ERR_EVENT_SCHEMA',
      path: 'properties.total',
      reason: 'Invalid input',
      event: {
        type: 'identify',
        event: 'Signed Up',
        name: null,
        anonymousId: 'anon-1',
        timestamp: '2026-11-20T11:59:59.000Z',
        sentAt: '2026-11-20T12:00:00.000Z',
        library: { name: 'analytics-node', version: '3.1.0' },
        ip: '203.0.113.0',
      },
    });
    for (const secret of ['alice@', '4111', '1234567', '203.0.113.77', 'token=secret']) {
      expect(value).not.toContain(secret);
    }
  });

  it('anonymizes the request address when the event has none, unless the project keeps IPs', () => {
    const { context: _, ...withoutContext } = refused;
    const stored = (keepIp: boolean) =>
      JSON.parse(invalidRecord(facts({ keepIp }), withoutContext, rejection).value).event.ip;
    expect(stored(false)).toBe('198.51.100.0');
    expect(stored(true)).toBe('198.51.100.23');
  });

  it('keeps only strings, cut to the id limit, from whatever was sent', () => {
    const hostile = {
      type: { $gt: '' },
      event: 'e'.repeat(100_000),
      anonymousId: 42,
      timestamp: ['2026'],
      context: { library: { name: 'x'.repeat(10_000), version: 7 } },
    };
    const { event } = JSON.parse(invalidRecord(facts(), hostile, rejection).value);
    expect(event).toMatchObject({ type: null, anonymousId: null, timestamp: null, library: null });
    expect(event.event).toHaveLength(LIMITS.maxIdLength);
    expect(JSON.parse(invalidRecord(facts(), 'not an object', rejection).value).event).toEqual({
      type: null,
      event: null,
      name: null,
      anonymousId: null,
      timestamp: null,
      sentAt: null,
      library: null,
      ip: '198.51.100.0',
    });
  });
});
