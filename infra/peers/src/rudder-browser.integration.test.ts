/**
 * RudderStack's browser SDK v3 (@rudderstack/analytics-js, its `bundled` build from npm: the
 * plugins compiled in) in Debian's Chromium with no control plane and no CDN: the source
 * config comes from `getSourceConfig` (no device-mode destinations, so no `destSDKBaseURL`
 * fetch) and events go to the collector as the data plane. A person from a newsletter email
 * lands, views a product and buys; a person from Bing's organic results lands and views the
 * product. Then collector → Kafka → processor → ClickHouse → dashboards API must store and
 * count all of it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectCounted } from './api.js';
import { launchChromium } from './browser.js';
import { type Visit, visitShop } from './browser-journey.js';
import { bundleGlobal } from './bundle.js';
import { PRODUCT, rowsOf, shapesOf, step } from './journey.js';
import { type PageServer, startPageServer } from './page-server.js';
import { type PeerPipeline, startPeerPipeline } from './pipeline.js';
import { shopHtml } from './shop-page.js';
import { storedEvents, storedIdentities } from './store.js';

let pipeline: PeerPipeline;
let shop: PageServer;
let browser: Browser;

/** What the control plane would answer for a source with no destinations, given inline. */
const SOURCE_CONFIG = {
  source: {
    id: 'peer-source',
    name: 'Trail Shop',
    workspaceId: 'peer-workspace',
    enabled: true,
    config: {},
    destinations: [],
  },
};

const loader = (
  writeKey: string,
  dataPlaneUrl: string,
) => `<script src="/rudder-analytics.js"></script>
<script>
  window.rudderanalytics = new RudderAnalytics();
  rudderanalytics.load(${JSON.stringify(writeKey)}, ${JSON.stringify(dataPlaneUrl)}, {
    getSourceConfig: function () { return ${JSON.stringify(SOURCE_CONFIG)}; },
    plugins: [],
    logLevel: 'ERROR',
  });
</script>`;

beforeAll(async () => {
  const library = await bundleGlobal('@rudderstack/analytics-js/bundled', 'RudderAnalytics');
  let html = '';
  shop = await startPageServer({ scripts: { '/rudder-analytics.js': library }, html: () => html });
  pipeline = await startPeerPipeline({ label: 'rudder_browser', allowedOrigins: [shop.origin] });
  html = shopHtml({
    loader: loader(pipeline.writeKey, pipeline.collectorUrl),
    global: 'rudderanalytics',
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await pipeline?.stop();
});

const anonymousIdExpression = 'rudderanalytics.getAnonymousId()';

it('stores and counts a journey sent by @rudderstack/analytics-js in Chromium', {
  timeout: 150_000,
}, async () => {
  const startedAt = Date.now();
  const buyer = { userId: 'user-rjs-1', email: 'grace@example.com', orderId: 'order-rjs-1' };
  const landingUrl = `${shop.origin}/?utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale`;
  const email = await visitShop(browser, {
    collectorUrl: pipeline.collectorUrl,
    landingUrl,
    shopper: buyer,
    anonymousIdExpression,
  });
  const organic = await visitShop(browser, {
    collectorUrl: pipeline.collectorUrl,
    landingUrl: `${shop.origin}/`,
    referer: 'https://www.bing.com/',
    anonymousIdExpression,
  });

  // Accepted: every request (and its CORS preflight) answered 2xx; nothing left loopback.
  const all = (f: (v: Visit) => unknown[]) => [...f(email), ...f(organic)];
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
  const a = email.anonymousId;
  const b = organic.anonymousId;
  const steps = [
    step({ type: 'page', anonymous_id: a, session_channel: 'email' }),
    step({ type: 'page', anonymous_id: a, session_channel: 'direct' }),
    step({ type: 'track', event: 'Product Viewed', anonymous_id: a, session_channel: 'direct' }),
    step({ type: 'page', anonymous_id: a, session_channel: 'direct' }),
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
    session_source: 'newsletter',
    session_medium: 'email',
    session_campaign: 'winter-sale',
    page_url: landingUrl,
  });
  expect.soft(product?.page_url).toBe(`${shop.origin}/products/${PRODUCT.product_id}`);
  expect
    .soft(organicLanding)
    .toMatchObject({ session_source: 'bing', session_referrer_host: 'www.bing.com' });
  expect.soft(order?.currency).toBe('EUR');
  // RudderStack's browser SDK puts identify traits in context.traits only.
  expect.soft(JSON.parse(identify?.traits ?? '{}')).toEqual({ email: buyer.email });
  for (const row of rows) {
    expect.soft(row).toMatchObject({ is_bot: 0, device_type: 'desktop' });
    expect.soft(row.library).toBe('RudderLabs JavaScript SDK/3.34.1');
    expect.soft(row.ms).toBeGreaterThanOrEqual(startedAt - 1000);
    expect.soft(row.ms).toBeLessThanOrEqual(Date.now());
  }
  expect
    .soft(await storedIdentities(pipeline))
    .toEqual([{ anonymous_id: a, user_id: buyer.userId }]);

  await expectCounted(pipeline, {
    funnel: {
      total: [2, 2, 1, 0],
      byFirstChannel: { email: [1, 1, 1, 0], organic: [1, 1, 0, 0] },
    },
    channel: 'email',
    revenue: 89.9,
    models: ['first_touch', 'last_touch', 'last_non_direct'],
  });
});
