/**
 * Property test: ≥ 10,000 hostile payloads through the whole HTTP stack in-process. No 5xx, no
 * crash, every refusal a 4xx (or a listed per-event rejection) with a readable reason, and every
 * valid event mixed into a hostile batch reaches the sink.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { ERRORS } from './errors.js';
import { badBody, mixedBatch } from './test/payloads.js';
import { basic, recordingSink, testConfig } from './test/recording-sink.js';

const sink = recordingSink();
const app = buildApp(
  testConfig({ COLLECTOR_RATE_LIMIT_PER_IP: '0', COLLECTOR_RATE_LIMIT_PER_KEY: '0' }),
  { sink },
);
const headers = { 'content-type': 'application/json', authorization: basic('wk_shop_test_key') };
let payloads = 0;

beforeAll(() => app.ready());
afterAll(async () => {
  await app.close();
  // ≥ 10,000 payloads in all, as the issue asks.
  expect(payloads).toBeGreaterThanOrEqual(10_000);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function expectReadableError(status: number, body: Record<string, unknown>) {
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(Object.keys(ERRORS)).toContain(body.code);
  expect(body.statusCode).toBe(status);
  expect(typeof body.message === 'string' && body.message.length > 0).toBe(true);
}

it('refuses malformed, oversized, wrongly encoded bodies with a readable 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(badBody, async ({ body, headers: extra }) => {
      payloads++;
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { ...headers, ...extra },
        payload: body,
      });
      expectReadableError(res.statusCode, res.json());
    }),
    { numRuns: 4000 },
  );
  expect(sink.events).toHaveLength(0);
}, 120_000);

it('accepts exactly the valid events of hostile batches and reports every bad one', async () => {
  await fc.assert(
    fc.asyncProperty(mixedBatch, async ({ batch, validIds, badIndexes }) => {
      payloads++;
      const before = sink.events.length;
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers,
        payload: JSON.stringify({ batch }),
      });
      const body = res.json();
      if (validIds.length === 0) {
        expectReadableError(res.statusCode, body);
      } else {
        expect(res.statusCode).toBe(200);
        expect(body.accepted).toBe(validIds.length);
      }
      const rejected = body.rejected as { index: number; code: string; reason: string }[];
      expect(rejected.map((r) => r.index)).toEqual(badIndexes);
      for (const r of rejected) {
        expect(r.code).toMatch(/^WAYMARK_ERR_EVENT_/);
        expect(r.reason.length).toBeGreaterThan(0);
      }
      expect(sink.events.slice(before).map((e) => e.record.event.messageId)).toEqual(validIds);
    }),
    { numRuns: 6000 },
  );
}, 120_000);
