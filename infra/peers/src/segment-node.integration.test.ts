/**
 * @segment/analytics-node, unchanged, pointed at the collector: a landing from a newsletter
 * email, a product view, a browser-like identify (anonymous + user id), a server-side
 * userId-only `Order Completed`, and an organic visitor who only lands. Then collector → Kafka →
 * processor → ClickHouse → dashboards API must store and count all of it.
 */
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCounted } from './api.js';
import { orderOf, PRODUCT, rowsOf, SHOP, shapeOf, step } from './journey.js';
import { type PeerPipeline, startPeerPipeline } from './pipeline.js';
import { storedEvents, storedIdentities } from './store.js';

let pipeline: PeerPipeline;

beforeAll(async () => {
  pipeline = await startPeerPipeline({ label: 'segment_node' });
});
afterAll(async () => {
  await pipeline?.stop();
});

const pause = () => new Promise((r) => setTimeout(r, 50));

it('stores and counts a journey sent by @segment/analytics-node', {
  timeout: 120_000,
}, async () => {
  const analytics = new Analytics({ writeKey: pipeline.writeKey, host: pipeline.collectorUrl });
  const statuses: number[] = [];
  const errors: unknown[] = [];
  analytics.on('http_response', (r) => statuses.push(r.status));
  analytics.on('error', (e) => errors.push(e));

  const anon = 'anon-segment-node-1';
  const user = 'user-segment-node-1';
  const visitor = 'anon-segment-node-2';
  const landing = `${SHOP}/?utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale`;
  const calledAt: number[] = [];
  const call = async (send: () => void) => {
    calledAt.push(Date.now());
    send();
    await pause();
  };

  // A server-side page view as the Segment spec writes it: URL and referrer in properties.
  await call(() =>
    analytics.page({
      anonymousId: anon,
      name: 'Home',
      properties: {
        url: landing,
        path: '/',
        referrer: '',
        title: 'Shop',
        search: new URL(landing).search,
      },
      context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0' },
    }),
  );
  await call(() =>
    analytics.track({ anonymousId: anon, event: 'Product Viewed', properties: { ...PRODUCT } }),
  );
  await call(() =>
    analytics.identify({
      anonymousId: anon,
      userId: user,
      traits: { email: 'ada@example.com', name: 'Ada' },
    }),
  );
  // Later, the order service knows only the user.
  await call(() =>
    analytics.track({ userId: user, event: 'Order Completed', properties: orderOf('order-sn-1') }),
  );
  await call(() =>
    analytics.page({
      anonymousId: visitor,
      name: 'Home',
      properties: {
        url: `${SHOP}/`,
        path: '/',
        referrer: 'https://www.google.com/',
        title: 'Shop',
      },
    }),
  );
  await analytics.closeAndFlush({ timeout: 10_000 });

  // Accepted: every request 2xx, no delivery error.
  expect(errors).toEqual([]);
  expect(statuses.length).toBeGreaterThan(0);
  expect(
    statuses.every((s) => s >= 200 && s < 300),
    `statuses ${statuses}`,
  ).toBe(true);

  // Stored: one row per event, as sent, classified by the server.
  const rows = await storedEvents(pipeline, 5);
  const order = rows.find((r) => r.event === 'Order Completed');
  const steps = [
    step({ type: 'page', event: 'Home', anonymous_id: anon, session_channel: 'email' }),
    step({ type: 'track', event: 'Product Viewed', anonymous_id: anon, session_channel: 'direct' }),
    step({ type: 'identify', anonymous_id: anon, user_id: user, session_channel: 'direct' }),
    // The order service's userId-only event: no page, so no touch of its own.
    step({
      type: 'track',
      event: 'Order Completed',
      user_id: user,
      session_channel: 'direct',
      revenue: 89.9,
      order_id: 'order-sn-1',
    }),
    step({ type: 'page', event: 'Home', anonymous_id: visitor, session_channel: 'organic' }),
  ];
  // In time order, as called. Row channels are each event's own touch (the landing's campaign
  // or referrer; direct for the pages after it and for server calls): sessions, and so the
  // session channel every later event counts under, are derived when a question is asked.
  expect.soft(rows.map(shapeOf)).toEqual(steps);
  const [home, , identify, , organic] = rowsOf(rows, steps);
  expect.soft(home).toMatchObject({
    session_source: 'newsletter',
    session_medium: 'email',
    session_campaign: 'winter-sale',
    page_url: landing,
  });
  expect.soft(organic).toMatchObject({
    session_referrer_host: 'www.google.com',
    page_url: `${SHOP}/`,
  });
  expect.soft(order?.currency).toBe('EUR');
  expect
    .soft(JSON.parse(identify?.traits ?? '{}'))
    .toEqual({ email: 'ada@example.com', name: 'Ada' });
  for (const [i, row] of rowsOf(rows, steps).entries()) {
    // Segment's own message ids, its library, and the time of the call to the millisecond.
    expect.soft(row?.message_id).toMatch(/^node-next-\d+-/);
    expect.soft(row?.library).toBe('@segment/analytics-node/3.1.0');
    expect.soft(Math.abs((row?.ms ?? 0) - (calledAt[i] ?? 0)), `step ${i} time`).toBeLessThan(500);
  }
  expect.soft(new Set(rows.map((r) => r.ms % 1000)).size).toBeGreaterThan(1);
  expect.soft(await storedIdentities(pipeline)).toEqual([{ anonymous_id: anon, user_id: user }]);

  // Counted: one person through awareness → engagement → transaction, stitched across the
  // anonymous browser events and the server's userId-only order; the organic visitor lands only.
  await expectCounted(pipeline, {
    funnel: {
      total: [2, 1, 1, 0],
      byFirstChannel: { email: [1, 1, 1, 0], organic: [1, 0, 0, 0] },
    },
    channel: 'email',
    revenue: 89.9,
    models: ['first_touch', 'last_non_direct'],
  });
});
