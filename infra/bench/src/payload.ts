/**
 * SDK-shaped events (what @waymark/sdk sends: page/track with context.page, campaign, channel
 * touches, userAgent), about 600 bytes each as JSON, with unique messageIds.
 */
import { randomUUID } from 'node:crypto';
import type { WaymarkContext } from '@waymark/contract/wire';

export const WRITE_KEY = 'wk_bench_write_key';
export const READ_KEY = 'rk_bench_read_key_0123456789abcdef';
export const PROJECT_ID = 'bench';

export const benchProjects = (): string =>
  JSON.stringify([{ id: PROJECT_ID, writeKeys: [WRITE_KEY], readKeys: [READ_KEY] }]);

const PAGES = ['/', '/shoes', '/shoes/trail-runner-2', '/cart', '/checkout', '/blog/how-to-run'];
const LANDINGS = [
  'https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale',
  'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov',
  'https://shop.example/shoes?gclid=Cj0KCQiA',
  'https://shop.example/',
];
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

export function sdkEvent(
  i: number,
  anonymousId: string,
  now = new Date(),
): Record<string, unknown> {
  const path = PAGES[i % PAGES.length] as string;
  const landing = LANDINGS[i % LANDINGS.length] as string;
  const ts = now.toISOString();
  const base = {
    messageId: randomUUID(),
    anonymousId,
    timestamp: ts,
    context: {
      library: { name: '@waymark/sdk', version: '0.1.0' },
      locale: 'en-GB',
      userAgent: UA,
      page: {
        url: `https://shop.example${path}`,
        path,
        title: 'Trail runner 2',
        referrer: 'https://www.google.com/',
      },
      waymark: {
        sessionId: `s-${anonymousId.slice(0, 8)}`,
        sessionTouch: { url: landing, referrer: 'https://www.google.com/' },
        firstTouch: { url: landing, referrer: '' },
      } satisfies WaymarkContext,
    },
  };
  return i % 3 === 0
    ? { ...base, type: 'page', name: path, properties: { path, search: '' } }
    : {
        ...base,
        type: 'track',
        event: i % 10 === 9 ? 'order_completed' : 'product_viewed',
        properties: { product_id: `sku-${i % 97}`, price: 129.9, currency: 'EUR', revenue: 129.9 },
      };
}

/** A `/v1/batch` body with `size` events of one person. */
export function batchBody(size: number, seed: number): string {
  const anonymousId = randomUUID();
  const batch = Array.from({ length: size }, (_, i) => sdkEvent(seed + i, anonymousId));
  return JSON.stringify({ writeKey: WRITE_KEY, sentAt: new Date().toISOString(), batch });
}
