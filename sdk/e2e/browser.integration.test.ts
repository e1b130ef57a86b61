/**
 * The SDK in Debian's Chromium (playwright-core) against a local stand-in collector: the built
 * dist/waymark.js, loaded async by a small single-page app.
 */

import { classifyChannel } from '@waymark/contract/channel';
import type { WireEvent } from '@waymark/contract/wire';
import { CHROMIUM_ARGS, CHROMIUM_PATH, eventually } from '@waymark/test-harness';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CollectorStub, startCollectorStub } from './collector-stub.js';

let browser: Browser;
let stub: CollectorStub;
let context: BrowserContext;

beforeAll(async () => {
  stub = await startCollectorStub();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
});
afterAll(async () => {
  await browser?.close();
  await stub?.close();
});
beforeEach(async () => {
  // Closing the previous test's pages fires their pagehide beacons; let those land before the
  // reset, or a slow machine delivers them into the next test's counts.
  await context?.close();
  await settled();
  stub.reset();
  context = await browser.newContext();
});

const pages = (events: WireEvent[]) => events.filter((e) => e.type === 'page');
const named = (events: WireEvent[], name: string) => events.filter((e) => e.event === name);

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000) {
  return eventually(async () => check() || undefined, { what, timeoutMs, intervalMs: 50 });
}

/** Waits until the stub has received nothing new for 300 ms. */
async function settled() {
  let seen = -1;
  await eventually(
    async () => {
      const now = stub.received.length;
      const quietNow = now === seen;
      seen = now;
      return quietNow || undefined;
    },
    { what: 'the stand-in collector to go quiet', timeoutMs: 15_000, intervalMs: 300 },
  );
}

/** Lets the SDK's deferred page-view tick and its 200 ms batch window pass. */
const quiet = (page: Page) => page.waitForTimeout(600);

describe('browser SDK in Chromium', () => {
  it('sends one page view per SPA route, with URL, title and the previous page as referrer', async () => {
    const page = await context.newPage();
    const home = `${stub.pageOrigin}/app/`;
    await page.goto(home);
    await until('the landing page view', () => pages(stub.events()).length === 1);
    await page.evaluate(() => {
      const w = window as unknown as { go(path: string, title: string): void };
      w.go('/app/products', 'Products');
    });
    await quiet(page);
    await page.evaluate(() => {
      const w = window as unknown as { go(path: string, title: string): void };
      w.go('/app/products/1', 'Product 1');
      history.replaceState({ scroll: 1 }, '', location.href); // same URL: not a page view
    });
    await quiet(page);
    await page.evaluate(() => {
      location.hash = 'reviews';
    });
    await quiet(page);
    await page.goBack(); // popstate and hashchange both fire: still one page view
    await quiet(page);
    await page.goBack();
    await until('five page views', () => pages(stub.events()).length >= 5);
    await quiet(page);

    const views = pages(stub.events()).map((e) => [
      e.properties?.path,
      e.properties?.title,
      e.properties?.url,
      e.properties?.referrer,
    ]);
    const p = (path: string) => `${stub.pageOrigin}${path}`;
    expect(views).toEqual([
      ['/app/', 'Home', p('/app/'), ''],
      ['/app/products', 'Products', p('/app/products'), p('/app/')],
      ['/app/products/1', 'Product 1', p('/app/products/1'), p('/app/products')],
      ['/app/products/1', 'Product 1', p('/app/products/1#reviews'), p('/app/products/1')],
      ['/app/products/1', 'Product 1', p('/app/products/1'), p('/app/products/1#reviews')],
      ['/app/products', 'Products', p('/app/products'), p('/app/products/1')],
    ]);
    // The call made on the stub before the script loaded was replayed, once.
    expect(named(stub.events(), 'before_load')).toHaveLength(1);
    // text/plain bodies: cross-origin without a CORS preflight; no form value captured.
    expect(stub.preflights()).toBe(0);
    expect(JSON.stringify(stub.events())).not.toContain('secret@example.com');
  });

  it('tags a visit from a newsletter email in every event while the first touch stays', async () => {
    const page = await context.newPage();
    await page.goto(`${stub.pageOrigin}/app/`, { referer: 'https://www.google.com/' });
    // The landing page view and the call replayed from the snippet's stub, in one or two batches.
    await until(
      'the organic visit',
      () => pages(stub.events()).length === 1 && named(stub.events(), 'before_load').length === 1,
    );
    const organic = pages(stub.events())[0]!.context!.waymark!;
    // The SDK sends raw touches; the collector classifies them, as here.
    expect(organic).not.toHaveProperty('channel');
    expect(classifyChannel(organic.sessionTouch!).channel).toBe('organic');
    stub.reset();

    const landing = `${stub.pageOrigin}/app/?utm_source=newsletter&utm_medium=email&utm_campaign=spring`;
    await page.goto(landing);
    await page.evaluate(() => {
      const w = window as unknown as {
        go(path: string, title: string): void;
        waymark: { track(e: string): void };
      };
      w.go('/app/products', 'Products');
      w.waymark.track('product_viewed');
    });
    await until('the email visit', () => stub.events().length >= 4);
    await quiet(page);

    const events = stub.events();
    expect(events.map((e) => e.type).sort()).toEqual(['page', 'page', 'track', 'track']);
    for (const event of events) {
      const waymark = event.context!.waymark!;
      expect(waymark.sessionId).not.toBe(organic.sessionId);
      expect(waymark.sessionTouch?.url).toBe(landing);
      expect(event.context!.campaign).toEqual({
        source: 'newsletter',
        medium: 'email',
        name: 'spring',
      });
      // What the collector does: classify the raw touches again.
      expect(classifyChannel(waymark.sessionTouch!).channel).toBe('email');
      expect(waymark.firstTouch).toEqual(organic.firstTouch);
      expect(classifyChannel(waymark.firstTouch!).channel).toBe('organic');
      expect(event.anonymousId).toBe(pages(events)[0]!.anonymousId);
    }
  });

  it('keeps the landing campaign when the app removed it from the URL before the script loaded', async () => {
    const page = await context.newPage();
    const landing = `${stub.pageOrigin}/app/?utm_source=newsletter&utm_medium=email&strip=1`;
    await page.goto(landing);
    await until('the page view', () => pages(stub.events()).length === 1);
    const [view] = pages(stub.events());
    expect(view!.properties?.url).toBe(`${stub.pageOrigin}/app/`);
    expect(view!.context?.waymark?.sessionTouch?.url).toBe(landing);
    expect(classifyChannel(view!.context!.waymark!.sessionTouch!).channel).toBe('email');
  });

  it('delivers events sent while the network was down exactly once when it returns', async () => {
    const page = await context.newPage();
    await page.goto(`${stub.pageOrigin}/app/`);
    await until('the page view', () => pages(stub.events()).length === 1);
    let aborted = 0;
    await page.route(`${stub.collectorOrigin}/v1/batch`, (route) => {
      aborted++;
      return route.abort('internetdisconnected');
    });
    await page.evaluate(() => {
      const w = window as unknown as { waymark: { track(e: string, p: object): void } };
      for (let n = 0; n < 5; n++) w.waymark.track('offline_click', { n });
    });
    await until('two failed attempts', () => aborted >= 2);
    expect(named(stub.events(), 'offline_click')).toHaveLength(0);
    await page.unroute(`${stub.collectorOrigin}/v1/batch`);
    await until('the offline events', () => named(stub.events(), 'offline_click').length >= 5);
    await page.waitForTimeout(2000); // any duplicate would arrive within a backoff
    const offline = named(stub.events(), 'offline_click');
    expect(offline.map((e) => e.properties?.n)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(offline.map((e) => e.messageId)).size).toBe(5);
  });

  it('keeps events in localStorage across a reload and sends them from the next page', async () => {
    const page = await context.newPage();
    await page.goto(`${stub.pageOrigin}/app/`);
    await until('the page view', () => pages(stub.events()).length === 1);
    await page.route(`${stub.collectorOrigin}/v1/batch`, (route) => route.abort());
    await page.evaluate(() => {
      const w = window as unknown as { waymark: { track(e: string): void; flushBeacon(): void } };
      w.waymark.track('queued_offline');
      // No beacon: this reload stands for a crash or an offline close.
      w.waymark.flushBeacon = () => undefined;
    });
    await page.waitForTimeout(400);
    const stored = await page.evaluate(() => localStorage.getItem('wm_queue') ?? '');
    expect(stored).toContain('queued_offline');
    await page.unroute(`${stub.collectorOrigin}/v1/batch`);
    await page.reload();
    await until('the queued event', () => named(stub.events(), 'queued_offline').length === 1);
  });

  it('delivers the last events with a beacon when the tab closes', async () => {
    const page = await context.newPage();
    await page.goto(`${stub.pageOrigin}/slow/`);
    await until('the page view', () => pages(stub.events()).length === 1);
    await page.evaluate(() => {
      const w = window as unknown as { waymark: { track(e: string): void } };
      w.waymark.track('last_words');
    });
    await page.waitForTimeout(300);
    expect(named(stub.events(), 'last_words')).toHaveLength(0); // a minute's batch window
    await page.close({ runBeforeUnload: true });
    await until('the beacon', () => named(stub.events(), 'last_words').length === 1);
    const beacon = stub.received.find((r) => r.batch.batch.some((e) => e.event === 'last_words'));
    expect(beacon!.mode).toBe('no-cors'); // sendBeacon, not fetch (which is `cors`)
  });

  it('sends nothing after an opt-out, also on the next visit', async () => {
    const page = await context.newPage();
    await page.goto(`${stub.pageOrigin}/app/?optout=1`);
    await page.evaluate(() => {
      const w = window as unknown as {
        go(path: string, title: string): void;
        waymark: { track(e: string): void };
      };
      w.go('/app/products', 'Products');
      w.waymark.track('clicked');
    });
    await page.goto(`${stub.pageOrigin}/app/`);
    await page.evaluate(() => {
      const w = window as unknown as { waymark: { track(e: string): void } };
      w.waymark.track('clicked_again');
    });
    await page.waitForTimeout(1000);
    await page.close({ runBeforeUnload: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stub.received).toHaveLength(0);
  });
});
