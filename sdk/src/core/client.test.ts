import { classifyChannel } from '@waymark/contract/channel';
import type { WireEvent } from '@waymark/contract/wire';
import { eventSchema } from '@waymark/contract/wire-schema';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import type { WaymarkConfig } from './config.js';
import type { Environment } from './environment.js';
import { KEYS, memoryStore, type Store } from './store.js';
import { fakeEnvironment, fakeTransport, sentEvents, settle } from './test-fakes.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const CONFIG: WaymarkConfig = { writeKey: 'wk_test', host: 'https://collect.test/' };
const LANDING =
  'https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=spring';

function setup(
  options: {
    config?: Partial<WaymarkConfig>;
    replies?: Parameters<typeof fakeTransport>[0];
    store?: Store;
    env?: Environment & { go(url: string, title?: string): void };
  } = {},
) {
  const store = options.store ?? memoryStore();
  const transport = fakeTransport(options.replies);
  const env = options.env ?? fakeEnvironment(LANDING, 'https://mail.google.com/');
  const client = createClient({ ...CONFIG, ...options.config }, { store, transport, env });
  return { client, store, transport, env };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('batching', () => {
  it('sends within the flush interval, in one batch, with sentAt and the write key', async () => {
    const { client, transport } = setup();
    client.track('a');
    client.track('b');
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches).toHaveLength(1);
    const [batch] = transport.batches;
    expect(batch!.writeKey).toBe('wk_test');
    expect(batch!.sentAt).toBe(new Date(T0 + 1000).toISOString());
    expect(batch!.batch.map((e) => [e.event, e.sentAt])).toEqual([
      ['a', batch!.sentAt],
      ['b', batch!.sentAt],
    ]);
    expect(client.pending()).toBe(0);
  });

  it('keeps batching by time after an explicit flush', async () => {
    const { client, transport } = setup();
    client.track('a');
    await client.flush();
    client.track('b');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sentEvents(transport.batches).map((e) => e.event)).toEqual(['a', 'b']);
  });

  it('sends at once when flushAt events wait', async () => {
    const { client, transport } = setup({ config: { flushAt: 3 } });
    for (const name of ['a', 'b', 'c']) client.track(name);
    await settle();
    expect(sentEvents(transport.batches).map((e) => e.event)).toEqual(['a', 'b', 'c']);
  });

  it('splits what waits into bodies under the 64 KB keepalive limit', async () => {
    const { client, transport } = setup({ config: { flushAt: 1000 } });
    const padding = 'x'.repeat(9_000);
    for (let n = 0; n < 15; n++) client.track('big', { n, padding });
    await client.flush();
    expect(transport.bodies.length).toBeGreaterThan(2);
    for (const body of transport.bodies)
      expect(new TextEncoder().encode(body).length).toBeLessThan(65_536);
    expect(sentEvents(transport.batches).map((e) => e.properties?.n)).toEqual([
      ...Array(15).keys(),
    ]);
  });
});

describe('retry', () => {
  it('retries network errors and 5xx with growing delays, keeping each messageId', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const { client, transport } = setup({ replies: ['network-error', 503, 200] });
    client.track('order_completed', { revenue: 10, currency: 'EUR', orderId: 'o1' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(transport.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.batches).toHaveLength(3);
    const ids = transport.batches.map((b) => b.batch[0]!.messageId);
    expect(new Set(ids).size).toBe(1);
    expect(client.pending()).toBe(0);
  });

  it('honours Retry-After on 429 and does not send during the backoff, even when flushAt is reached', async () => {
    const { client, transport } = setup({
      config: { flushAt: 2 },
      replies: [{ status: 429, retryAfter: '30' }],
    });
    client.track('a');
    client.track('b');
    await settle();
    expect(transport.batches).toHaveLength(1);
    client.track('c');
    client.track('d');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(transport.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sentEvents(transport.batches.slice(1)).map((e) => e.event)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('retries 408 but drops other 4xx without retrying', async () => {
    const { client, transport } = setup({ replies: [408, 200, 400] });
    client.track('timeout');
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sentEvents(transport.batches).map((e) => e.event)).toEqual(['timeout', 'timeout']);
    client.track('bad');
    await vi.advanceTimersByTimeAsync(1000);
    expect(client.pending()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(transport.batches).toHaveLength(3);
  });

  it('keeps events queued across a reload while offline and sends them from the next page', async () => {
    const store = memoryStore();
    const offline = setup({ store, replies: Array(10).fill('network-error') });
    offline.client.track('while_offline');
    await vi.advanceTimersByTimeAsync(1000);
    expect(offline.client.pending()).toBe(1);
    offline.client.stop();
    const online = setup({ store });
    await online.client.flush();
    expect(sentEvents(online.transport.batches).map((e) => e.event)).toEqual(['while_offline']);
    expect(sentEvents(online.transport.batches)[0]!.messageId).toBe(
      sentEvents(offline.transport.batches)[0]!.messageId,
    );
  });
});

describe('drops', () => {
  it('counts the oldest events dropped from a full queue and reports them once, in a later event', async () => {
    const { client, transport } = setup({
      config: { maxQueueEvents: 3, flushAt: 100 },
      replies: ['network-error'],
    });
    for (const name of ['a', 'b', 'c', 'd']) client.track(name);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000);
    client.track('later');
    client.track('latest');
    await client.flush();
    const delivered = sentEvents(transport.batches.slice(1));
    expect(delivered.map((e) => e.event)).toEqual(['b', 'c', 'd', 'later', 'latest']);
    expect(delivered.map((e) => e.context?.waymark?.droppedEvents)).toEqual([
      undefined,
      undefined,
      undefined,
      1,
      undefined,
    ]);
  });
});

describe('beacon on page hide', () => {
  it('hands everything waiting to sendBeacon and empties the queue', async () => {
    const { client, transport } = setup();
    client.track('last_click');
    client.flushBeacon();
    expect(sentEvents(transport.beacons).map((e) => e.event)).toEqual(['last_click']);
    expect(client.pending()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(transport.batches).toHaveLength(0);
  });
});

describe('event shape', () => {
  it('is Segment’s wire format with the session and first touch under context.waymark', async () => {
    const { client, transport } = setup();
    client.page();
    client.track('signed_up', { method: 'google' });
    await client.flush();
    const [page, track] = sentEvents(transport.batches) as [WireEvent, WireEvent];
    expect(page).toMatchObject({
      type: 'page',
      properties: {
        url: LANDING,
        path: '/',
        title: 'Landing',
        referrer: 'https://mail.google.com/',
      },
      timestamp: new Date(T0).toISOString(),
    });
    expect(track).toMatchObject({
      type: 'track',
      event: 'signed_up',
      properties: { method: 'google' },
    });
    expect(track.messageId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(track.anonymousId).toBe(page.anonymousId);
    const touch = {
      url: LANDING,
      referrer: 'https://mail.google.com/',
      timestamp: new Date(T0).toISOString(),
    };
    expect(track.context).toEqual({
      library: { name: 'waymark-js', version: '0.1.0' },
      page: { url: LANDING, path: '/', title: 'Landing', referrer: 'https://mail.google.com/' },
      campaign: { source: 'newsletter', medium: 'email', name: 'spring' },
      userAgent: 'test-agent',
      locale: 'en-GB',
      waymark: {
        sessionId: page.context?.waymark?.sessionId,
        sessionStartedAt: new Date(T0).toISOString(),
        sessionTouch: touch,
        firstTouch: touch,
      },
    });
  });

  it('gives an SPA page the previous page as referrer', async () => {
    const { client, transport, env } = setup();
    client.page();
    env.go('https://shop.example.com/products', 'Products');
    client.page();
    env.go('https://shop.example.com/products/1', 'Product 1');
    client.track('product_viewed', { productId: 'p1' });
    await client.flush();
    const events = sentEvents(transport.batches);
    expect(events.map((e) => [e.properties?.title ?? e.event, e.context?.page?.referrer])).toEqual([
      ['Landing', 'https://mail.google.com/'],
      ['Products', LANDING],
      ['product_viewed', LANDING],
    ]);
  });

  it('attaches the user id after identify, links ids with alias, and starts over on reset', async () => {
    const { client, transport } = setup();
    client.track('before');
    client.identify('user-1', { plan: 'pro' });
    client.track('after');
    client.alias('user-2');
    client.reset();
    client.track('logged_out');
    await client.flush();
    const [before, identify, after, alias, loggedOut] = sentEvents(
      transport.batches,
    ) as WireEvent[];
    expect(before!.userId).toBeUndefined();
    expect(identify).toMatchObject({ type: 'identify', userId: 'user-1', traits: { plan: 'pro' } });
    expect(after!.userId).toBe('user-1');
    expect(alias).toMatchObject({ type: 'alias', userId: 'user-2', previousId: 'user-1' });
    expect(loggedOut!.userId).toBeUndefined();
    expect(loggedOut!.anonymousId).not.toBe(before!.anonymousId);
    expect(loggedOut!.context?.waymark?.sessionId).not.toBe(before!.context?.waymark?.sessionId);
  });
});

describe('group', () => {
  it('sends a group event with the group id, its traits and the current user', async () => {
    const { client, transport } = setup();
    client.identify('user-1');
    client.group('acme', { plan: 'enterprise' });
    client.group('globex');
    await client.flush();
    const [, acme, globex] = sentEvents(transport.batches) as WireEvent[];
    expect(acme).toMatchObject({
      type: 'group',
      groupId: 'acme',
      traits: { plan: 'enterprise' },
      userId: 'user-1',
    });
    expect(acme!.context?.waymark?.sessionId).toBeTruthy();
    expect(globex).toMatchObject({ type: 'group', groupId: 'globex', traits: {} });
    // What the collector accepts: a group event needs its groupId.
    expect(eventSchema.safeParse(acme).success).toBe(true);
  });
});

describe('sessions in the client', () => {
  it('keeps the session while events come and starts a new one after the configured inactivity', async () => {
    const { client, transport, env } = setup({ config: { sessionTimeout: 10 } });
    client.track('a');
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    client.track('b');
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    client.track('c');
    env.go('https://shop.example.com/account');
    await vi.advanceTimersByTimeAsync(11 * 60_000);
    client.track('d');
    await client.flush();
    const [a, b, c, d] = sentEvents(transport.batches).map((e) => e.context!.waymark!);
    expect(b!.sessionId).toBe(a!.sessionId);
    expect(c!.sessionId).toBe(a!.sessionId);
    expect(d!.sessionId).not.toBe(a!.sessionId);
    expect(d!.sessionStartedAt).toBe(new Date(T0 + 29 * 60_000).toISOString());
    // The new session started on the current page, without the landing's campaign.
    expect(d!.sessionTouch?.url).toBe('https://shop.example.com/account');
    expect(classifyChannel(d!.sessionTouch!).channel).toBe('direct');
    expect(d!.firstTouch).toEqual(a!.firstTouch);
  });
});

describe('journey helpers', () => {
  it('type-check the properties of journey events and leave other events free', async () => {
    const { client, transport } = setup();
    client.track('order_completed', {
      revenue: 99.5,
      currency: 'EUR',
      orderId: 'o-1',
      coupon: 'X',
    });
    // @ts-expect-error revenue, currency and orderId are required
    client.track('order_completed', { revenue: 99.5 });
    // @ts-expect-error properties are required for a journey event
    client.track('order_completed');
    client.track('video_played', { seconds: 3 });
    client.track('anything');
    await client.flush();
    expect(sentEvents(transport.batches).map((e) => e.event)).toEqual([
      'order_completed',
      'order_completed',
      'order_completed',
      'video_played',
      'anything',
    ]);
  });
});

describe('privacy', () => {
  it('sends nothing after optOut, remembers it in a new client, and resumes on optIn', async () => {
    const store = memoryStore();
    const first = setup({ store });
    first.client.track('queued_before');
    first.client.optOut();
    first.client.track('ignored');
    await vi.advanceTimersByTimeAsync(5000);
    expect(first.transport.batches).toHaveLength(0);
    const second = setup({ store });
    second.client.track('still_ignored');
    await second.client.flush();
    expect(second.transport.batches).toHaveLength(0);
    second.client.optIn();
    second.client.track('welcome_back');
    await second.client.flush();
    expect(sentEvents(second.transport.batches).map((e) => e.event)).toEqual(['welcome_back']);
  });

  it('honours Global Privacy Control by default and Do-Not-Track only when configured', async () => {
    const gpc = setup({ env: fakeEnvironment(LANDING, '', { gpc: true }) });
    gpc.client.track('x');
    const dnt = setup({ env: fakeEnvironment(LANDING, '', { dnt: true }) });
    dnt.client.track('x');
    const dntHonored = setup({
      config: { honorDnt: true },
      env: fakeEnvironment(LANDING, '', { dnt: true }),
    });
    dntHonored.client.track('x');
    const gpcIgnored = setup({
      config: { honorGpc: false },
      env: fakeEnvironment(LANDING, '', { gpc: true }),
    });
    gpcIgnored.client.track('x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(gpc.transport.batches).toHaveLength(0);
    expect(dnt.transport.batches).toHaveLength(1);
    expect(dntHonored.transport.batches).toHaveLength(0);
    expect(gpcIgnored.transport.batches).toHaveLength(1);
  });

  it('stores no identifier in cookieless mode', async () => {
    const { client, store, transport } = setup({ config: { cookieless: true } });
    client.identify('user-1');
    client.track('x');
    await client.flush();
    for (const key of Object.values(KEYS)) expect(store.get(key)).toBeNull();
    expect(sentEvents(transport.batches)).toHaveLength(2);
  });

  it('requires a write key and a host', () => {
    expect(() =>
      createClient(
        { writeKey: '', host: 'h' },
        { store: memoryStore(), transport: fakeTransport() },
      ),
    ).toThrow(/writeKey and host/);
  });
});
