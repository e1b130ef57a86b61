/**
 * Identity across subdomains (cookie mode) and a page that loads the script twice, in
 * Chromium. `*.waymark.test` resolves to loopback inside this browser only.
 */

import { CHROMIUM_ARGS, CHROMIUM_PATH, eventually } from '@waymark/test-harness';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorStub, startCollectorStub } from './collector-stub.js';

let browser: Browser;
let stub: CollectorStub;

beforeAll(async () => {
  stub = await startCollectorStub();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.waymark.test 127.0.0.1'],
  });
});
afterAll(async () => {
  await browser?.close();
  await stub?.close();
});

const pageViews = () => stub.events().filter((e) => e.type === 'page');

describe('identity in Chromium', () => {
  it('shares the anonymous id and session across subdomains with cookieDomain', async () => {
    const context = await browser.newContext();
    const port = new URL(stub.pageOrigin).port;
    const page = await context.newPage();
    await page.goto(`http://www.waymark.test:${port}/shared/`);
    await page.goto(`http://shop.waymark.test:${port}/shared/cart`);
    // By host, each message once: leaving the first page may deliver its batch again (beacon on
    // page hide after a fetch still in flight), which the messageId makes harmless.
    const viewOn = (host: string) =>
      pageViews().find((e) => new URL(e.properties!.url as string).host === `${host}:${port}`);
    const [www, shop] = await eventually(
      async () => {
        const found = [viewOn('www.waymark.test'), viewOn('shop.waymark.test')];
        return found.every((e) => e !== undefined) ? found : undefined;
      },
      { what: 'a page view on each subdomain' },
    );
    expect(shop!.anonymousId).toBe(www!.anonymousId);
    expect(shop!.context?.waymark?.sessionId).toBe(www!.context?.waymark?.sessionId);
    const cookies = await context.cookies(`http://shop.waymark.test:${port}/`);
    expect(cookies.find((c) => c.name === 'wm_aid')).toMatchObject({
      domain: '.waymark.test',
      value: www!.anonymousId,
    });
    await context.close();
  });

  it('ignores a second copy of the script on the page', async () => {
    stub.reset();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stub.pageOrigin}/app/?twice`);
    await eventually(async () => (pageViews().length >= 1 ? true : undefined), {
      what: 'a page view',
    });
    await page.waitForTimeout(800);
    expect(pageViews()).toHaveLength(1);
    expect(stub.events().filter((e) => e.event === 'before_load')).toHaveLength(1);
    await context.close();
  });
});
