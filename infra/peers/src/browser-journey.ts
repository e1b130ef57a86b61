/**
 * One person's visit to the shop in a fresh browser context: land (from a campaign URL or an
 * outside referrer), open the product page by its link, and optionally buy. Each step waits
 * until the library's requests of that page were answered, as a person reading the page would.
 */

import { eventually } from '@waymark/test-harness';
import type { Browser } from 'playwright-core';
import { type GuardedContext, guardedContext } from './browser.js';
import type { Shopper } from './shop-page.js';

export interface Visit {
  /** What the library stored as this browser's anonymous id. */
  anonymousId: string;
  guarded: GuardedContext;
}

export async function visitShop(
  browser: Browser,
  opts: {
    collectorUrl: string;
    landingUrl: string;
    referer?: string;
    /** Set to buy on the product page. */
    shopper?: Shopper;
    /** An expression evaluating (or resolving) to the library's anonymous id. */
    anonymousIdExpression: string;
  },
): Promise<Visit> {
  const guarded = await guardedContext(browser, opts.collectorUrl);
  const { context } = guarded;
  if (opts.shopper) {
    await context.addInitScript((s) => {
      (window as unknown as { shopper: unknown }).shopper = s;
    }, opts.shopper);
  }
  const page = await context.newPage();
  const answered = async (posts: number) => {
    await eventually(
      async () =>
        guarded.collectorResponses.filter((r) => r.method === 'POST').length +
          guarded.collectorFailures.length >=
          posts || undefined,
      {
        what: `${posts} answered requests to the collector (${JSON.stringify(guarded)})`,
        timeoutMs: 15_000,
        intervalMs: 50,
      },
    );
  };
  await page.goto(opts.landingUrl, opts.referer ? { referer: opts.referer } : {});
  await answered(1); // page
  await page.click('#product');
  await answered(3); // page, Product Viewed
  if (opts.shopper) {
    await page.click('#buy');
    await answered(6); // page, identify, Order Completed
  }
  const anonymousId = String(await page.evaluate(opts.anonymousIdExpression));
  await context.close();
  return { anonymousId, guarded };
}
