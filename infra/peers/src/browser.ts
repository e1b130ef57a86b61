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
  /** The pages' console errors: where Chromium says why (e.g. "blocked by CORS policy"). */
  consoleErrors: string[];
}

/**
 * A visitor's browser says what it is; headless Chromium says `HeadlessChrome`, which the
 * processor rightly flags as a bot (and the queries leave out by default).
 */
export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

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
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
  const guarded: GuardedContext = {
    context,
    outside: [],
    collectorResponses: [],
    collectorFailures: [],
    consoleErrors: [],
  };
  context.on('console', (message) => {
    if (message.type() === 'error') guarded.consoleErrors.push(message.text());
  });
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
