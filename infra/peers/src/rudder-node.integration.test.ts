/**
 * @rudderstack/rudder-sdk-node with its defaults (gzip, the first event flushed at once, the
 * rest held for up to 10 s), pointed at the collector: a paid landing, a product view, an
 * identify, an `Order Completed`, and a visitor referred by a news site. Then collector → Kafka →
 * processor → ClickHouse → dashboards API must store and count all of it.
 */
import Analytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCounted } from './api.js';
import { orderOf, PRODUCT, rowsOf, SHOP, shapeOf, step } from './journey.js';
import { type PeerPipeline, startPeerPipeline } from './pipeline.js';
import { storedEvents, storedIdentities } from './store.js';

let pipeline: PeerPipeline;

beforeAll(async () => {
  pipeline = await startPeerPipeline({ label: 'rudder_node' });
});
afterAll(async () => {
  await pipeline?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('stores and counts a journey sent by @rudderstack/rudder-sdk-node', {
  timeout: 120_000,
}, async () => {
  const errors: string[] = [];
  const analytics = new Analytics(pipeline.writeKey, {
    dataPlaneUrl: pipeline.collectorUrl,
    logLevel: 'error',
    // How a service watches delivery; without it a refused batch is an unhandled rejection.
    errorHandler: (err: unknown) => {
      errors.push(err instanceof Error ? err.message : String(err));
    },
  });
  const anon = 'anon-rudder-node-1';
  const user = 'user-rudder-node-1';
  const visitor = 'anon-rudder-node-2';
  const landing = `${SHOP}/?utm_source=google&utm_medium=cpc&utm_campaign=spring`;
  const calledAt: number[] = [];
  const delivered: Promise<unknown>[] = [];
  /** Each call's callback says whether its batch was accepted. */
  const call = (send: (done: (err?: unknown) => void) => void) => {
    calledAt.push(Date.now());
    delivered.push(new Promise((resolve) => send((err) => resolve(err ?? 'ok'))));
    return sleep(100);
  };

  await call((done) =>
    analytics.page(
      {
        anonymousId: anon,
        name: 'Home',
        properties: { url: landing, path: '/', referrer: 'https://www.google.com/', title: 'Shop' },
      },
      done,
    ),
  );
  await call((done) =>
    analytics.track(
      { anonymousId: anon, event: 'Product Viewed', properties: { ...PRODUCT } },
      done,
    ),
  );
  await call((done) =>
    analytics.identify(
      { anonymousId: anon, userId: user, traits: { email: 'grace@example.com' } },
      done,
    ),
  );
  await call((done) =>
    analytics.track(
      {
        anonymousId: anon,
        userId: user,
        event: 'Order Completed',
        properties: orderOf('order-rn-1'),
      },
      done,
    ),
  );
  await call((done) =>
    analytics.page(
      {
        anonymousId: visitor,
        name: 'Home',
        properties: {
          url: `${SHOP}/`,
          path: '/',
          referrer: 'https://news.example.org/best-trail-shoes',
          title: 'Shop',
        },
      },
      done,
    ),
  );
  // A server holds events until flushAt (20) or flushInterval (10 s); here a second, then flush.
  await sleep(1000);
  await analytics.flush();

  // Accepted: every event's batch answered 2xx (the callback gets the error otherwise).
  expect(errors).toEqual([]);
  expect(await Promise.all(delivered)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);

  const rows = await storedEvents(pipeline, 5);
  const steps = [
    step({ type: 'page', event: 'Home', anonymous_id: anon, session_channel: 'paid' }),
    step({ type: 'track', event: 'Product Viewed', anonymous_id: anon, session_channel: 'direct' }),
    step({ type: 'identify', anonymous_id: anon, user_id: user, session_channel: 'direct' }),
    step({
      type: 'track',
      event: 'Order Completed',
      anonymous_id: anon,
      user_id: user,
      session_channel: 'direct',
      revenue: 89.9,
      order_id: 'order-rn-1',
    }),
    step({ type: 'page', event: 'Home', anonymous_id: visitor, session_channel: 'referral' }),
  ];
  // In time order, as called. Row channels are each event's own touch (the landing's campaign
  // or referrer; direct for the pages after it and for server calls): sessions, and so the
  // session channel every later event counts under, are derived when a question is asked.
  expect.soft(rows.map(shapeOf)).toEqual(steps);
  const [home, , identify, order, referred] = rowsOf(rows, steps);
  expect.soft(home).toMatchObject({
    session_source: 'google',
    session_medium: 'cpc',
    session_campaign: 'spring',
    page_url: landing,
  });
  expect.soft(referred).toMatchObject({ session_referrer_host: 'news.example.org' });
  expect.soft(order?.currency).toBe('EUR');
  expect.soft(JSON.parse(identify?.traits ?? '{}')).toEqual({ email: 'grace@example.com' });
  for (const [i, row] of rowsOf(rows, steps).entries()) {
    expect.soft(row?.library).toBe('analytics-node/3.0.13');
    // The time of the call (the library's originalTimestamp), not of the flush a second later.
    expect.soft(Math.abs((row?.ms ?? 0) - (calledAt[i] ?? 0)), `step ${i} time`).toBeLessThan(500);
  }
  expect.soft(await storedIdentities(pipeline)).toEqual([{ anonymous_id: anon, user_id: user }]);

  await expectCounted(pipeline, {
    funnel: {
      total: [2, 1, 1, 0],
      byFirstChannel: { paid: [1, 1, 1, 0], referral: [1, 0, 0, 0] },
    },
    channel: 'paid',
    revenue: 89.9,
    models: ['first_touch', 'last_touch', 'last_non_direct'],
  });
});
