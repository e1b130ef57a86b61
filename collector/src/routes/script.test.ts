import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { recordingSink, testConfig } from '../test/recording-sink.js';

const app = buildApp(testConfig(), { sink: recordingSink() });
const built = readFileSync(createRequire(import.meta.url).resolve('@waymark/sdk/waymark.js'));

afterEach(async () => {
  await app.close();
});

it('serves the SDK script build, cacheable and revalidated by etag', async () => {
  const first = await app.inject({ method: 'GET', url: '/waymark.js' });
  expect(first.statusCode).toBe(200);
  expect(first.headers['content-type']).toBe('application/javascript; charset=utf-8');
  expect(first.rawPayload.equals(built)).toBe(true);
  expect(first.headers['cache-control']).toBe('public, max-age=3600');

  const again = await app.inject({
    method: 'GET',
    url: '/waymark.js',
    headers: { 'if-none-match': String(first.headers.etag) },
  });
  expect(again.statusCode).toBe(304);
  expect(again.rawPayload.length).toBe(0);
});
