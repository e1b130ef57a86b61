/**
 * @segment/analytics-next 1.84.3 from its npm package, in Debian's Chromium, with its settings
 * inline (no cdn.segment.com) and `apiHost` at the collector over http: a person from a paid
 * search ad lands, views a product and buys; a person from Google's organic results lands and
 * views the product. Cross-origin, so the collector's CORS answers are part of the test. Then
 * collector → Kafka → processor → ClickHouse → dashboards API must store and count all of it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCounted } from './api.js';
import { guardedContext, launchChromium } from './browser.js';
import { type Visit, visitShop } from './browser-journey.js';
import { bundleGlobal } from './bundle.js';
import { type FlakyFront, startFlakyFront } from './flaky-front.js';
import { PRODUCT, rowsOf, shapesOf, step } from './journey.js';
import { type PageServer, startPageServer } from './page-server.js';
import { type PeerPipeline, startPeerPipeline } from './pipeline.js';
import { shopHtml } from './shop-page.js';
import { storedEvents, storedIdentities } from './store.js';

let pipeline: PeerPipeline;
let shop: PageServer;
let browser: Browser;
let writeKey = '';
let flaky: FlakyFront;

/** How a site loads analytics-next without Segment's CDN: the settings it would fetch, inline. */
const loader = (collectorHost: string) => `<script src="/analytics-next.js"></script>
<script>
  window.analytics = AnalyticsBrowser.load({
    writeKey: ${JSON.stringify(writeKey)},
    cdnSettings: {
      // Segment's own telemetry (analytics_js.* counters, posted every 30 s to
      // https://api.segment.io/v1/m by default): off, as a self-hosted site must set it.
      metrics: { sampleRate: 0 },
      integrations: {
        'Segment.io': { apiKey: ${JSON.stringify(writeKey)}, apiHost: ${JSON.stringify(`${collectorHost}/v1`)}, protocol: 'http' },
      },
    },
  });
</script>`;

beforeAll(async () => {
  const library = await bundleGlobal('@segment/analytics-next', 'AnalyticsBrowser');
  let html = '';
  let flakyHtml = '';
  shop = await startPageServer({
    scripts: { '/analytics-next.js': library },
    // `?via=flaky`: the same shop, sending through a front that answers 503 once.
    html: (url) => (url.searchParams.get('via') === 'flaky' ? flakyHtml : html),
  });
  pipeline = await startPeerPipeline({ label: 'segment_browser', allowedOrigins: [shop.origin] });
  flaky = await startFlakyFront(pipeline.collectorUrl, 1);
  writeKey = pipeline.writeKey;
  html = shopHtml({ loader: loader(new URL(pipeline.collectorUrl).host), global: 'analytics' });
  flakyHtml = shopHtml({ loader: loader(new URL(flaky.url).host), global: 'analytics' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await flaky?.close();
  await shop?.close();
  await pipeline?.stop();
});

/** Matches '' or `userId` where the library decides when the user id starts. */
const eitherId = (userId: string) => expect.toSatisfy((id) => id === '' || id === userId) as string;

const anonymousIdExpression = 'analytics.user().then((u) => u.anonymousId())';

it('stores and counts a journey sent by @segment/analytics-next in Chromium', {
  timeout: 150_000,
}, async () => {
  const startedAt = Date.now();
  const buyer = { userId: 'user-ajs-1', email: 'ada@example.com', orderId: 'order-ajs-1' };
  const paid = await visitShop(browser, {
    collectorUrl: pipeline.collectorUrl,
    landingUrl: `${shop.origin}/?utm_source=google&utm_medium=cpc&utm_campaign=trail-spring`,
    referer: 'https://www.google.com/',
    shopper: buyer,
    anonymousIdExpression,
  });
  const organic = await visitShop(browser, {
    collectorUrl: pipeline.collectorUrl,
    landingUrl: `${shop.origin}/`,
    referer: 'https://www.google.com/',
    anonymousIdExpression,
  });

  // Accepted: every request (and its CORS preflight) answered 2xx; nothing left loopback.
  const all = (f: (v: Visit) => unknown[]) => [...f(paid), ...f(organic)];
  expect(all((v) => v.guarded.outside)).toEqual([]);
  expect(
    all((v) => v.guarded.collectorFailures),
    all((v) => v.guarded.consoleErrors).join('\n'),
  ).toEqual([]);
  const responses = all(
    (v) => v.guarded.collectorResponses,
  ) as Visit['guarded']['collectorResponses'];
  expect(
    responses.map((r) => `${r.method} ${r.path} ${r.status}`).filter((r) => !/ 2\d\d$/.test(r)),
  ).toEqual([]);
  expect(responses).toHaveLength(9);

  const rows = await storedEvents(pipeline, 9);
  const a = paid.anonymousId;
  const b = organic.anonymousId;
  const steps = [
    step({ type: 'page', event: '', anonymous_id: a, session_channel: 'paid' }),
    step({ type: 'page', anonymous_id: a, session_channel: 'direct' }),
    step({ type: 'track', event: 'Product Viewed', anonymous_id: a, session_channel: 'direct' }),
    // The confirmation page's view, called just before identify: analytics-next may already
    // put the user id on it (its calls are replayed once the library has loaded).
    step({
      type: 'page',
      anonymous_id: a,
      user_id: eitherId(buyer.userId),
      session_channel: 'direct',
    }),
    step({ type: 'identify', anonymous_id: a, user_id: buyer.userId, session_channel: 'direct' }),
    step({
      type: 'track',
      event: 'Order Completed',
      anonymous_id: a,
      user_id: buyer.userId,
      session_channel: 'direct',
      revenue: 89.9,
      order_id: buyer.orderId,
    }),
    step({ type: 'page', anonymous_id: b, session_channel: 'organic' }),
    step({ type: 'page', anonymous_id: b, session_channel: 'direct' }),
    step({ type: 'track', event: 'Product Viewed', anonymous_id: b, session_channel: 'direct' }),
  ];
  // Every step stored once, as sent; row channels are each event's own touch (sessions are
  // derived when a question is asked). Events of one page are sent concurrently, so their stored
  // order may differ by a request's latency (timestamp + receivedAt − sentAt, as Segment does);
  // the pages' order is checked below.
  expect.soft(rows).toHaveLength(steps.length);
  expect.soft(shapesOf(rows, steps)).toEqual(steps);
  const [landing, product, , checkout, identify, order, organicLanding] = rowsOf(rows, steps);
  expect.soft(landing && product && checkout && order).toBeDefined();
  const times = [landing, product, checkout, order].map((r) => r?.ms ?? 0);
  expect
    .soft(times, 'landing < product page < confirmation page ≤ order')
    .toEqual([...times].sort((x, y) => x - y));
  expect.soft(landing).toMatchObject({
    session_source: 'google',
    session_medium: 'cpc',
    session_campaign: 'trail-spring',
    page_url: `${shop.origin}/?utm_source=google&utm_medium=cpc&utm_campaign=trail-spring`,
  });
  expect.soft(product?.page_url).toBe(`${shop.origin}/products/${PRODUCT.product_id}`);
  expect
    .soft(organicLanding)
    .toMatchObject({ session_source: 'google', session_referrer_host: 'www.google.com' });
  expect.soft(order?.currency).toBe('EUR');
  expect.soft(JSON.parse(identify?.traits ?? '{}')).toEqual({ email: buyer.email });
  for (const row of rows) {
    expect.soft(row).toMatchObject({ is_bot: 0, device_type: 'desktop' });
    expect.soft(row.message_id).toMatch(/^ajs-next-\d+-/);
    expect.soft(row.library).toBe('analytics.js/npm:next-1.84.3');
    expect.soft(row.ms).toBeGreaterThanOrEqual(startedAt - 1000);
    expect.soft(row.ms).toBeLessThanOrEqual(Date.now());
  }
  expect.soft(new Set(rows.map((r) => r.ms % 1000)).size).toBeGreaterThan(1);
  expect
    .soft(await storedIdentities(pipeline))
    .toEqual([{ anonymous_id: a, user_id: buyer.userId }]);

  await expectCounted(pipeline, {
    funnel: {
      total: [2, 2, 1, 0],
      byFirstChannel: { paid: [1, 1, 1, 0], organic: [1, 1, 0, 0] },
    },
    channel: 'paid',
    revenue: 89.9,
    models: ['first_touch', 'last_touch', 'last_non_direct'],
  });
});

it('delivers an event analytics-next retries after a 503 (the retry carries X-Retry-Count)', {
  timeout: 90_000,
}, async () => {
  const visitor = await guardedContext(browser, flaky.url);
  const page = await visitor.context.newPage();
  await page.goto(`${shop.origin}/?via=flaky&utm_source=spring-mail&utm_medium=email`);
  const anonymousId = String(await page.evaluate(anonymousIdExpression));
  try {
    const [row] = await storedEvents(pipeline, 1, anonymousId);
    expect(row).toMatchObject({ type: 'page', session_channel: 'email' });
    expect(flaky.refused()).toBe(1);
    expect(visitor.outside).toEqual([]);
  } catch (err) {
    throw new Error(
      `${String(err)}\npassed on: ${JSON.stringify(flaky.passed)}\nbrowser: ${visitor.consoleErrors.join('\n')}`,
    );
  } finally {
    await visitor.context.close();
  }
});
