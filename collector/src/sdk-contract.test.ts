/**
 * Contract: what the Waymark SDK's portable core actually sends (text/plain batches with
 * context.waymark raw touches) is accepted whole by the collector and becomes records whose
 * session and first touch the server classified from those raw touches.
 */

import { createClient } from '@waymark/sdk/core/client';
import type { Environment } from '@waymark/sdk/core/environment';
import { memoryStore } from '@waymark/sdk/core/store';
import type { Transport } from '@waymark/sdk/core/transport';
import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { recordingSink, testConfig } from './test/recording-sink.js';

let app: FastifyInstance;
afterEach(() => app?.close());

it('accepts every event the SDK sends and classifies its raw touches', async () => {
  const sink = recordingSink();
  app = buildApp(testConfig(), { sink });
  const replies: { status: number; body: unknown }[] = [];
  const transport: Transport = {
    async send(url, body) {
      const res = await app.inject({
        method: 'POST',
        url: new URL(url).pathname,
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.example' },
        payload: body,
      });
      replies.push({ status: res.statusCode, body: res.json() });
      return { status: res.statusCode, retryAfter: res.headers['retry-after']?.toString() ?? null };
    },
  };
  let current = 'https://shop.example/?gclid=abc123&utm_campaign=winter';
  const env: Environment = {
    page: () => ({ url: current, path: new URL(current).pathname, title: 'Shop' }),
    landing: { url: current, referrer: 'https://www.google.com/' },
    userAgent: 'contract-test',
    locale: 'en-GB',
  };
  const client = createClient(
    { writeKey: 'wk_shop_test_key', host: 'http://collector.test' },
    { store: memoryStore(), transport, env },
  );
  client.page();
  current = 'https://shop.example/products/a-1';
  client.page();
  client.track('newsletter_opened', { issue: 12 });
  client.identify('user-42', { plan: 'pro' });
  await client.flush();
  client.stop();

  expect(replies).toEqual([{ status: 200, body: { success: true, accepted: 4, rejected: [] } }]);
  expect(sink.events.map((e) => e.record.event.type)).toEqual([
    'page',
    'page',
    'track',
    'identify',
  ]);
  const anonymousId = sink.events[0]?.record.event.anonymousId;
  for (const { key, record } of sink.events) {
    expect(key).toBe(`shop:${anonymousId}`);
    expect(record.sessionTouch).toMatchObject({
      channel: 'paid',
      clickIdType: 'gclid',
      campaign: 'winter',
      referrerHost: 'www.google.com',
    });
    expect(record.firstTouch).toEqual(record.sessionTouch);
    expect(record.event.context?.waymark?.sessionId).toBeTruthy();
  }
  expect(sink.events[3]?.record.event.userId).toBe('user-42');
});
