/**
 * Debian's Chromium that can reach loopback only. Every other request (a CDN, a control plane,
 * a metrics endpoint) goes to a proxy that does not exist, so it fails, and it is recorded, so
 * a test can fail on it.
 *
 * Why not `page.route`: once any route is set, Playwright answers the CORS preflight of every
 * request itself, so the collector's own preflight answers would never be exercised.
 * Chromium never sends loopback through a proxy, so the collector and the page are reached
 * directly.
 */
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@waymark/test-harness';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export interface GuardedContext {
  context: BrowserContext;
  /** URLs the page tried to reach outside 127.0.0.1, in order. */
  outside: string[];
  /** Every response from `collectorOrigin`: method, path and status. */
  collectorResponses: { method: string; path: string; status: number }[];
  /** Requests to `collectorOrigin` that got no answer (CORS refusal, connection error). */
  collectorFailures: { method: string; path: string; error: string }[];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--proxy-server=http://127.0.0.1:9'],
  });
}

export async function guardedContext(
  browser: Browser,
  collectorOrigin: string,
): Promise<GuardedContext> {
  const context = await browser.newContext();
  const guarded: GuardedContext = {
    context,
    outside: [],
    collectorResponses: [],
    collectorFailures: [],
  };
  const place = (href: string) => {
    const url = new URL(href);
    return { url, path: url.pathname + url.search };
  };
  context.on('request', (request) => {
    const { url } = place(request.url());
    if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:') guarded.outside.push(url.href);
  });
  context.on('response', (response) => {
    const { url, path } = place(response.url());
    if (url.origin !== collectorOrigin) return;
    guarded.collectorResponses.push({
      method: response.request().method(),
      path,
      status: response.status(),
    });
  });
  context.on('requestfailed', (request) => {
    const { url, path } = place(request.url());
    if (url.origin !== collectorOrigin) return;
    guarded.collectorFailures.push({
      method: request.method(),
      path,
      error: request.failure()?.errorText ?? 'failed',
    });
  });
  return guarded;
}
