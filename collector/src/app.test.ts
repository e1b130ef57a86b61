import { gzipSync } from 'node:zlib';
import { LIMITS } from '@waymark/contract/limits';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import type { CollectorConfig } from './config.js';
import {
  basic,
  type RecordingSink,
  recordingSink,
  TEST_METRICS_TOKEN,
  testConfig,
} from './test/recording-sink.js';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const metricsAuth = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };
let app: FastifyInstance;
let sink: RecordingSink;

function start(config: CollectorConfig = testConfig()): FastifyInstance {
  sink = recordingSink();
  app = buildApp(config, { sink, now: () => NOW });
  return app;
}

afterEach(async () => {
  await app?.close();
});

const track = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'signup',
  anonymousId: 'anon-1',
  ...extra,
});

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/json',
      authorization: basic('wk_shop_test_key'),
      ...headers,
    },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

describe('Kafka records', () => {
  it('produces one record per person of a request, holding that person’s events in order', async () => {
    start();
    const batch = [
      track({ messageId: 'a1' }),
      track({ messageId: 'b1', anonymousId: 'anon-2' }),
      track({ messageId: 'a2' }),
      track({ messageId: 'u1', anonymousId: undefined, userId: 'user-9' }),
      track({ messageId: 'a3' }),
    ];
    const res = await post('/v1/batch', { batch });
    expect(res.json()).toMatchObject({ accepted: 5, rejected: [] });
    expect(sink.records).toBe(3);
    expect(sink.events.map((e) => [e.key, e.record.event.messageId])).toEqual([
      ['shop:anon-1', 'a1'],
      ['shop:anon-1', 'a2'],
      ['shop:anon-1', 'a3'],
      ['shop:anon-2', 'b1'],
      ['shop:user-9', 'u1'],
    ]);
  });
});

describe('auth', () => {
  it('takes the write key from HTTP Basic or from the body', async () => {
    start();
    expect((await post('/v1/batch', { batch: [track()] })).statusCode).toBe(200);
    const inBody = await post(
      '/v1/batch',
      { writeKey: 'wk_shop_test_key', batch: [track()] },
      { authorization: '' },
    );
    expect(inBody.statusCode).toBe(200);
    expect(sink.events.map((e) => e.record.projectId)).toEqual(['shop', 'shop']);
  });

  it('answers 401 for a missing or unknown key and 403 for a disabled project', async () => {
    start();
    const missing = await post('/v1/batch', { batch: [track()] }, { authorization: '' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'WAYMARK_ERR_MISSING_WRITE_KEY' });
    const unknown = await post('/v1/batch', { batch: [track()] }, { authorization: basic('nope') });
    expect(unknown.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'WAYMARK_ERR_UNKNOWN_WRITE_KEY',
      message: 'unknown write key',
    });
    const closed = await post(
      '/v1/batch',
      { batch: [track()] },
      { authorization: basic('wk_closed_test') },
    );
    expect(closed.statusCode).toBe(403);
    expect(sink.events).toHaveLength(0);
  });
});

describe('bodies', () => {
  it('accepts text/plain (sendBeacon) and gzip-encoded JSON', async () => {
    start();
    const beacon = await post('/v1/batch', JSON.stringify({ batch: [track()] }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(beacon.statusCode).toBe(200);
    const gz = await post('/v1/batch', gzipSync(JSON.stringify({ batch: [track()] })), {
      'content-encoding': 'gzip',
    });
    expect(gz.statusCode).toBe(200);
    expect(sink.events).toHaveLength(2);
  });

  it('refuses broken JSON, invalid UTF-8, broken gzip and gzip bombs with a coded 4xx', async () => {
    start();
    const cases: [Parameters<typeof post>[1], Record<string, string>, number, string][] = [
      ['{"batch": [', {}, 400, 'WAYMARK_ERR_INVALID_JSON'],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), {}, 400, 'WAYMARK_ERR_INVALID_UTF8'],
      [
        Buffer.from('not gzip at all'),
        { 'content-encoding': 'gzip' },
        400,
        'WAYMARK_ERR_INVALID_GZIP',
      ],
      ['{}', { 'content-encoding': 'br' }, 415, 'WAYMARK_ERR_UNSUPPORTED_ENCODING'],
      ['{}', { 'content-type': 'application/xml' }, 415, 'WAYMARK_ERR_UNSUPPORTED_MEDIA_TYPE'],
      [
        gzipSync(Buffer.alloc(20 * LIMITS.maxBodyBytes, 0x20)),
        { 'content-encoding': 'gzip' },
        413,
        'WAYMARK_ERR_BODY_TOO_LARGE',
      ],
      [
        `{"batch":[],"pad":"${'x'.repeat(LIMITS.maxBodyBytes)}"}`,
        {},
        413,
        'WAYMARK_ERR_BODY_TOO_LARGE',
      ],
      ['[1,2]', {}, 400, 'WAYMARK_ERR_INVALID_BODY'],
      [{ batch: [] }, {}, 400, 'WAYMARK_ERR_INVALID_BODY'],
      [
        { batch: Array(LIMITS.maxBatchEvents + 1).fill(track()) },
        {},
        413,
        'WAYMARK_ERR_TOO_MANY_EVENTS',
      ],
    ];
    for (const [body, headers, status, code] of cases) {
      const res = await post('/v1/batch', body, headers);
      expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
      expect(res.json().message).toMatch(/\w/);
    }
    expect(sink.events).toHaveLength(0);
  });
});

describe('the Segment surface as real libraries use it', () => {
  it('serves the one-letter paths analytics.js posts to, each setting its type', async () => {
    start();
    const paths = { t: 'track', p: 'page', s: 'screen', i: 'identify', g: 'group' } as const;
    for (const [short, type] of Object.entries(paths)) {
      const response = await post(`/v1/${short}`, {
        ...track({ type: 'track', groupId: 'g1' }),
        messageId: `m-${short}`,
      });
      expect(response.statusCode, short).toBe(200);
      expect(sink.events.at(-1)?.record.event.type).toBe(type);
    }
    const alias = await post('/v1/a', { previousId: 'anon-1', userId: 'u-1' });
    expect(alias.statusCode).toBe(200);
    expect(sink.events.at(-1)?.record.event.type).toBe('alias');
    const batch = await post('/v1/b', { batch: [track()] });
    expect(batch.statusCode).toBe(200);
    // analytics-java's default path.
    const imported = await post('/v1/import', { batch: [track()] });
    expect(imported.statusCode).toBe(200);
    expect(sink.events).toHaveLength(8);
  });

  it('reads null as absent in the event and the known context objects, keeping nulls in properties', async () => {
    start();
    const response = await post('/v1/batch', {
      sentAt: null,
      context: null,
      batch: [
        track({
          userId: null,
          messageId: 'null-fields',
          timestamp: null,
          integrations: null,
          properties: { coupon: null },
          context: {
            page: {
              url: 'https://shop.example/?utm_source=google&utm_medium=cpc',
              referrer: null,
              search: null,
            },
            campaign: null,
            library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
          },
        }),
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [] });
    const stored = sink.events[0]?.record;
    expect(stored?.event.userId).toBeUndefined();
    expect(stored?.event.properties).toEqual({ coupon: null });
    expect(stored?.sessionTouch.channel).toBe('paid');
  });

  it('decides gzip by Content-Encoding whatever the Content-Type (rudder-sdk-node)', async () => {
    start();
    const body = gzipSync(JSON.stringify({ batch: [track()] }));
    const rudder = await post('/v1/batch', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'content-encoding': 'gzip',
    });
    expect(rudder.statusCode).toBe(200);
    const odd = await post('/v1/batch', body, {
      'content-type': 'application/octet-stream',
      'content-encoding': 'gzip',
    });
    expect(odd.statusCode).toBe(200);
    const plainOdd = await post('/v1/batch', JSON.stringify({ batch: [track()] }), {
      'content-type': 'application/octet-stream',
    });
    expect(plainOdd.statusCode).toBe(415);
    expect(plainOdd.json()).toMatchObject({ code: 'WAYMARK_ERR_UNSUPPORTED_MEDIA_TYPE' });
    expect(sink.events).toHaveLength(2);
  });

  it("takes RudderStack's originalTimestamp, empty userId and $direct referrer as meant", async () => {
    start();
    const response = await post('/v1/batch', {
      batch: [
        track({
          userId: '',
          messageId: 'rudder-1',
          originalTimestamp: '2026-11-20T11:59:00.000Z',
          sentAt: '2026-11-20T12:00:00.000Z',
          context: {
            page: { url: 'https://shop.example/', referrer: '$direct' },
            traits: { plan: 'pro' },
          },
        }),
      ],
    });
    expect(response.statusCode).toBe(200);
    const stored = sink.events[0]?.record;
    expect(stored?.event.userId).toBeUndefined();
    // Corrected like a timestamp: sentAt is the collector's now, so the minute stays.
    expect(stored?.timestamp).toBe('2026-11-20T11:59:00.000Z');
    expect(stored?.sessionTouch.channel).toBe('direct');
    expect(stored?.event.context?.traits).toEqual({ plan: 'pro' });
  });

  it("accepts RudderStack's beacon path with the write key in the query string only there", async () => {
    start();
    const body = JSON.stringify({ batch: [track()] });
    const headers = { authorization: '', 'content-type': 'text/plain;charset=UTF-8' };
    const beacon = await post('/beacon/v1/batch?writeKey=wk_shop_test_key', body, headers);
    expect(beacon.statusCode).toBe(200);
    const elsewhere = await post('/v1/batch?writeKey=wk_shop_test_key', body, headers);
    expect(elsewhere.statusCode).toBe(401);
  });

  it('lets browsers send the headers analytics.js and RudderStack add (CORS preflight)', async () => {
    start();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'authorization,content-type,x-retry-count,anonymousid,sentat',
      },
    });
    expect(preflight.statusCode).toBe(204);
    const allowed = String(preflight.headers['access-control-allow-headers']).split(/,\s*/);
    for (const header of [
      'authorization',
      'content-type',
      'x-retry-count',
      'anonymousid',
      'sentat',
    ]) {
      expect(allowed).toContain(header);
    }
  });

  it("classifies a server library's page view from its page properties", async () => {
    start();
    const response = await post('/v1/page', {
      anonymousId: 'anon-2',
      name: 'Landing',
      properties: { url: 'https://shop.example/?utm_source=news&utm_medium=email', referrer: '' },
    });
    expect(response.statusCode).toBe(200);
    expect(sink.events[0]?.record.sessionTouch.channel).toBe('email');
  });
});

describe('refused requests', () => {
  it('logs one rate-limited warning per refusal with the code, never the payload or the key', async () => {
    const lines: string[] = [];
    sink = recordingSink();
    app = buildApp(testConfig({ LOG_LEVEL: 'warn' }), {
      sink,
      now: () => NOW,
      logStream: { write: (line: string) => void lines.push(line) },
    });
    const secret = 'do-not-log-this-payload';
    for (let i = 0; i < 15; i++) {
      await post('/v1/nowhere', { secret });
    }
    await post(
      '/v1/batch',
      { batch: [track({ secret })] },
      { authorization: basic('wk_unknown_key') },
    );
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const refused = warnings.filter((w) => w.msg === 'request refused');
    expect(refused).toHaveLength(10);
    expect(refused[0]).toMatchObject({
      status: 404,
      code: 'WAYMARK_ERR_NOT_FOUND',
      path: '/v1/nowhere',
    });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain('wk_unknown_key');
  });
});

describe('a batch with bad events', () => {
  it('accepts the valid events and reports each refused one by index, messageId, path and reason', async () => {
    start();
    const res = await post('/v1/batch', {
      batch: [
        track({ messageId: 'm-good-1' }),
        track({ messageId: 'm-no-id', anonymousId: undefined }),
        track({ messageId: 'm-bad-type', properties: 'not an object' }),
        JSON.parse(
          '{"type":"track","event":"x","anonymousId":"a","messageId":"m-proto","properties":{"__proto__":{"polluted":true}}}',
        ),
        track({
          messageId: 'm-big',
          properties: {
            blob: 'x'.repeat(LIMITS.maxStringLength).repeat(1),
            b: 'y'.repeat(LIMITS.maxStringLength),
            c: 'z'.repeat(LIMITS.maxStringLength),
            d: 'w'.repeat(LIMITS.maxStringLength),
          },
        }),
        track({ messageId: 'm-future', timestamp: '2027-06-01T00:00:00.000Z' }),
        track(),
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, accepted: 2 });
    expect(body.rejected).toEqual([
      {
        index: 1,
        messageId: 'm-no-id',
        code: 'WAYMARK_ERR_EVENT_NO_IDENTITY',
        path: 'anonymousId',
        reason: 'anonymousId or userId required',
      },
      {
        index: 2,
        messageId: 'm-bad-type',
        code: 'WAYMARK_ERR_EVENT_SCHEMA',
        path: 'properties',
        reason: expect.stringMatching(/object|record/i),
      },
      {
        index: 3,
        messageId: 'm-proto',
        code: 'WAYMARK_ERR_EVENT_FORBIDDEN_KEY',
        path: 'properties.__proto__',
        reason: expect.stringContaining('__proto__'),
      },
      {
        index: 4,
        messageId: 'm-big',
        code: 'WAYMARK_ERR_EVENT_TOO_LARGE',
        path: '',
        reason: expect.stringContaining(`${LIMITS.maxEventBytes}-byte limit`),
      },
      {
        index: 5,
        messageId: 'm-future',
        code: 'WAYMARK_ERR_EVENT_TIMESTAMP',
        path: 'timestamp',
        reason: expect.stringContaining('future'),
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(sink.events).toHaveLength(2);
    expect(sink.events[0]?.record.event.messageId).toBe('m-good-1');
    // A missing messageId gets one.
    expect(sink.events[1]?.record.event.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sink.invalid.map((i) => [i.record.index, i.record.code, i.key])).toEqual([
      [1, 'WAYMARK_ERR_EVENT_NO_IDENTITY', 'shop:'],
      [2, 'WAYMARK_ERR_EVENT_SCHEMA', 'shop:anon-1'],
      [3, 'WAYMARK_ERR_EVENT_FORBIDDEN_KEY', 'shop:a'],
      [4, 'WAYMARK_ERR_EVENT_TOO_LARGE', 'shop:anon-1'],
      [5, 'WAYMARK_ERR_EVENT_TIMESTAMP', 'shop:anon-1'],
    ]);
    expect(sink.invalid[0]?.record).toMatchObject({
      messageId: 'm-no-id',
      event: { type: 'track' },
    });
  });

  it('answers 4xx when no event is valid, with every refusal listed', async () => {
    start();
    const res = await post('/v1/batch', { batch: [{ type: 'nope' }, 42] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'WAYMARK_ERR_NO_VALID_EVENTS',
      rejected: [
        { index: 0, code: 'WAYMARK_ERR_EVENT_SCHEMA', path: 'type' },
        { index: 1, code: 'WAYMARK_ERR_EVENT_NOT_OBJECT' },
      ],
    });
    const single = await post('/v1/track', { event: 'x' });
    expect(single.statusCode).toBe(400);
    expect(single.json()).toMatchObject({
      code: 'WAYMARK_ERR_EVENT_NO_IDENTITY',
      message: 'events[0].anonymousId: anonymousId or userId required',
    });
  });
});

describe('server-side truth', () => {
  it('re-classifies the channel, corrects clock skew, stamps receivedAt and anonymizes the IP', async () => {
    start();
    const res = await post('/v1/batch', {
      sentAt: '2026-11-20T12:10:00.000Z',
      batch: [
        {
          type: 'page',
          anonymousId: 'anon-7',
          timestamp: '2026-11-20T12:09:00.000Z',
          context: {
            ip: '203.0.113.77',
            page: {
              url: 'https://shop.example/?utm_source=newsletter&utm_medium=email',
              referrer: '',
            },
            waymark: { sessionId: 's1', channel: 'paid' },
          },
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    const { key, record } = sink.events[0]!;
    expect(key).toBe('shop:anon-7');
    expect(record).toMatchObject({
      projectId: 'shop',
      receivedAt: '2026-11-20T12:00:00.000Z',
      timestamp: '2026-11-20T11:59:00.000Z',
      ip: '203.0.113.0',
      sessionTouch: { channel: 'email', source: 'newsletter', medium: 'email' },
      firstTouch: { channel: 'email' },
    });
    expect(record.event.context?.ip).toBe('203.0.113.0');
  });

  it('classifies the SDK raw session and first touches and keeps IPs for projects that ask', async () => {
    start();
    await post(
      '/v1/track',
      {
        event: 'order_completed',
        userId: 'u1',
        context: {
          page: { url: 'https://shop.example/checkout', referrer: 'https://shop.example/cart' },
          waymark: {
            sessionId: 's2',
            sessionTouch: {
              url: 'https://shop.example/?gclid=abc',
              referrer: 'https://www.google.com/',
            },
            firstTouch: { url: 'https://shop.example/', referrer: 'https://www.google.com/' },
          },
        },
      },
      { authorization: basic('wk_private_test') },
    );
    const { key, record } = sink.events[0]!;
    expect(key).toBe('private:u1');
    expect(record.event.type).toBe('track');
    expect(record.sessionTouch).toMatchObject({ channel: 'paid', clickIdType: 'gclid' });
    expect(record.firstTouch).toMatchObject({ channel: 'organic', referrerHost: 'www.google.com' });
    expect(record.ip).toBe('127.0.0.1');
  });
});

describe('the broker', () => {
  it('answers 503 with Retry-After when the produce fails, and within the bound when it hangs', async () => {
    start(testConfig({ KAFKA_PRODUCE_TIMEOUT_MS: '300' }));
    sink.mode = 'error';
    const failed = await post('/v1/batch', { batch: [track()] });
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('5');
    expect(failed.json().code).toBe('WAYMARK_ERR_BROKER_UNAVAILABLE');
    sink.mode = 'hang';
    const started = Date.now();
    const hung = await post('/v1/batch', { batch: [track()] });
    expect(hung.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
    sink.isReady = false;
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
    sink.isReady = true;
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
  });
});

describe('abuse and overload', () => {
  it('limits requests per IP and per write key separately, with Retry-After', async () => {
    start(testConfig({ COLLECTOR_RATE_LIMIT_PER_IP: '3', COLLECTOR_RATE_LIMIT_PER_KEY: '2' }));
    const fromIp = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress: ip,
        headers: { 'content-type': 'application/json', authorization: basic('wk_shop_test_key') },
        payload: JSON.stringify({ batch: [track()] }),
      });
    // The key allows 2 whatever the IPs.
    expect((await fromIp('10.0.0.1')).statusCode).toBe(200);
    expect((await fromIp('10.0.0.2')).statusCode).toBe(200);
    const keyLimited = await fromIp('10.0.0.3');
    expect(keyLimited.statusCode).toBe(429);
    expect(keyLimited.json().message).toContain('per write key');
    expect(Number(keyLimited.headers['retry-after'])).toBeGreaterThan(0);
    // One IP gets 3 whatever the keys.
    const other = (key: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/batch',
        remoteAddress: '10.0.0.9',
        headers: { 'content-type': 'application/json', authorization: basic(key) },
        payload: JSON.stringify({ batch: [track()] }),
      });
    await other('wk_private_test');
    await other('wk_private_test');
    await other('wk_private_test');
    const ipLimited = await other('wk_private_test');
    expect(ipLimited.statusCode).toBe(429);
    expect(ipLimited.json()).toMatchObject({ code: 'WAYMARK_ERR_RATE_LIMITED' });
    expect(ipLimited.json().message).toContain('per IP address');
  });

  it('answers 503 beyond the in-flight budget instead of queueing', async () => {
    start(testConfig({ COLLECTOR_MAX_IN_FLIGHT: '2', KAFKA_PRODUCE_TIMEOUT_MS: '1000' }));
    sink.mode = 'hang';
    const pending = [
      post('/v1/batch', { batch: [track()] }),
      post('/v1/batch', { batch: [track()] }),
    ];
    await new Promise((r) => setTimeout(r, 50));
    const over = await post('/v1/batch', { batch: [track()] });
    expect(over.statusCode).toBe(503);
    expect(over.json().code).toBe('WAYMARK_ERR_OVERLOADED');
    expect(over.headers['retry-after']).toBe('1');
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: metricsAuth });
    expect(metrics.body).toContain('waymark_collector_in_flight_requests 2');
    await Promise.all(pending);
    sink.mode = 'ok';
    expect((await post('/v1/batch', { batch: [track()] })).statusCode).toBe(200);
  });
});

describe('CORS', () => {
  it('answers preflights for allowed origins and refuses other origins per project', async () => {
    start();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    const ok = await post('/v1/batch', { batch: [track()] }, { origin: 'https://shop.example' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
    const evil = await post('/v1/batch', { batch: [track()] }, { origin: 'https://evil.example' });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe('WAYMARK_ERR_ORIGIN_NOT_ALLOWED');
  });
});

describe('operations', () => {
  it('serves health and Prometheus metrics of requests, events and produce latency', async () => {
    start();
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    await post('/v1/batch', { batch: [track(), { type: 'track' }] });
    const text = (await app.inject({ method: 'GET', url: '/metrics', headers: metricsAuth })).body;
    expect(text).toContain('waymark_collector_requests_total{route="/v1/batch",status="200"} 1');
    expect(text).toContain('waymark_collector_events_accepted_total{project="shop"} 1');
    expect(text).toContain(
      'waymark_collector_events_rejected_total{reason="WAYMARK_ERR_EVENT_SCHEMA"} 1',
    );
    expect(text).toContain('waymark_collector_produce_seconds_count{outcome="ok"} 1');
  });

  it('sends nosniff and no referrer on every answer, and no-store on GETs but the script', async () => {
    start();
    const answers = {
      ingest: await post('/v1/batch', { batch: [track()] }),
      refused: await post('/v1/batch', { batch: [track()] }, { authorization: '' }),
      health: await app.inject({ method: 'GET', url: '/health' }),
      missing: await app.inject({ method: 'GET', url: '/nope' }),
    };
    for (const [what, response] of Object.entries(answers)) {
      expect(response.headers['x-content-type-options'], what).toBe('nosniff');
      expect(response.headers['referrer-policy'], what).toBe('no-referrer');
      // POST answers are never cached; no-store on them makes Chromium report unread answers
      // (analytics.js reads none) as aborted requests.
      const get = what === 'health' || what === 'missing';
      expect(response.headers['cache-control'], what).toBe(get ? 'no-store' : undefined);
    }
  });

  it('serves /metrics only with the configured bearer token', async () => {
    const token = TEST_METRICS_TOKEN;
    const scrape = (authorization?: string) =>
      app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
    start(testConfig({ COLLECTOR_METRICS_TOKEN: '' }));
    const off = await scrape(`Bearer ${token}`);
    expect(off.statusCode).toBe(404);
    expect(off.json().code).toBe('WAYMARK_ERR_NOT_FOUND');
    await app.close();
    start(testConfig({ COLLECTOR_METRICS_TOKEN: token }));
    for (const wrong of [undefined, 'Bearer nope', `Basic ${token}`, `Bearer ${token}x`]) {
      const refused = await scrape(wrong);
      expect(refused.statusCode, wrong).toBe(401);
      expect(refused.json().code).toBe('WAYMARK_ERR_METRICS_UNAUTHORIZED');
      expect(refused.body).not.toContain('waymark_collector');
    }
    const ok = await scrape(`Bearer ${token}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('waymark_collector_in_flight_requests');
  });

  it('answers coded 404s', async () => {
    start();
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    expect(missing.json()).toMatchObject({ statusCode: 404, code: 'WAYMARK_ERR_NOT_FOUND' });
  });

  it('drains: close() waits for the in-flight request, which still gets its acknowledgement', async () => {
    start();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    sink.mode = 'gate';
    const inFlight = fetch(`${address}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('wk_shop_test_key') },
      body: JSON.stringify({ batch: [track()] }),
    });
    await vi.waitFor(() => expect(sink.calls).toBe(1));
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    sink.release();
    expect((await inFlight).status).toBe(200);
    await closing;
    expect(sink.events).toHaveLength(1);
  });
});

it('refuses an alias without the userId it links to, naming the field', async () => {
  start();
  const res = await post('/v1/batch', {
    batch: [
      { type: 'alias', messageId: 'm-alias', anonymousId: 'anon-1', previousId: 'anon-1' },
      track(),
    ],
  });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({
    accepted: 1,
    rejected: [
      { index: 0, messageId: 'm-alias', path: 'userId', reason: 'required for alias events' },
    ],
  });
});
