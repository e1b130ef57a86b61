import { mkdirSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@waymark/test-harness';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadDashboardsConfig } from '../src/config.js';
import { createQueries } from '../src/queries/index.js';
import { freshDatabase, insertRows } from '../src/test/database.js';
import { eventRow } from '../src/test/events.js';
import { journeyEvents, journeyIdentities } from '../src/test/journeys.js';

// The built dashboard (dist/web, from `npm run build`) in Debian's Chromium, against the API.
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);
const XSS = '<img src=x onerror="window.__pwned=1">';
let client: ClickHouseClient;
let app: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  let database: string;
  ({ client, database } = await freshDatabase('dash_browser'));
  const hostile = eventRow({
    anonymous_id: 'h1',
    session_id: 'sh',
    timestamp: '2026-11-20 10:00:00',
    first_channel: 'paid',
    session_channel: 'paid',
    page_path: XSS,
  });
  await insertRows(client, database, [...journeyEvents(), hostile], journeyIdentities());
  const config = loadDashboardsConfig({
    CLICKHOUSE_DATABASE: database,
    WAYMARK_PROJECTS: JSON.stringify([
      { id: 'p1', writeKey: 'wk_p1_writer', readKeys: ['rk_p1_reader_0123456789abcdefghij'] },
    ]),
  });
  app = await buildApp(config, { queries: createQueries(client, database) });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await client?.close();
});

async function apiFunnel(query: string): Promise<number[]> {
  const response = await fetch(`${base}/api/v1/funnel?${query}&breakdown=none`, {
    headers: { authorization: 'Bearer rk_p1_reader_0123456789abcdefghij' },
  });
  const body = (await response.json()) as { total: { steps: { people: number }[] } };
  return body.total.steps.map((s) => s.people);
}

it('shows the API funnel for the chosen range and channel, with event text kept as text', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${base}/#key=rk_p1_reader_0123456789abcdefghij`);
  await page.waitForSelector('#funnel[data-state="ready"], #funnel[data-state="empty"]');

  // Change the range and the channel, as a reader would.
  await page.fill('#from', '2026-11-01');
  await page.fill('#to', '2026-11-30');
  await page.selectOption('#channel', 'paid');
  await page.waitForSelector('#funnel[data-state="ready"]');
  await page.waitForSelector('#dropoff[data-state="ready"]');
  await page.waitForSelector('#attribution[data-state="ready"]');
  await page.waitForSelector('#trends[data-state="ready"]');
  await page.waitForSelector('#retention[data-state="ready"]');

  const onScreen = async (what: 'people' | 'dropoff') =>
    Promise.all(
      ['awareness', 'engagement', 'transaction', 'retention'].map(async (stage) =>
        Number(await page.textContent(`[data-testid="funnel-${what}-${stage}"]`)),
      ),
    );
  const expected = await apiFunnel('from=2026-11-01&to=2026-11-30&channel=paid&identified=any');
  expect(expected).toEqual([3, 2, 1, 1]); // alice, carol and the hostile visitor
  expect(await onScreen('people')).toEqual(expected);
  expect(await onScreen('dropoff')).toEqual([0, 1, 1, 0]);

  // The hostile page path is on screen as text, and nothing ran.
  await expect.poll(() => page.locator('#dropoff-tables').textContent()).toContain(XSS);
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
  ).toBeUndefined();
  expect(await page.locator('#dropoff-tables img').count()).toBe(0);

  // A narrower range with no data shows the empty state.
  await page.fill('#from', '2020-01-01');
  await page.fill('#to', '2020-01-02');
  await page.waitForSelector('#funnel[data-state="empty"]');
  expect(await page.textContent('#funnel .status')).toContain('No data');

  await page.fill('#from', '2026-11-01');
  await page.fill('#to', '2026-11-30');
  for (const panel of ['funnel', 'dropoff', 'attribution', 'trends', 'retention']) {
    await page.waitForSelector(`#${panel}[data-state="ready"]`);
  }
  expect(await page.isVisible('#key-form')).toBe(false);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL('dashboard.png', ARTIFACTS).pathname, fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

it('asks for a read key when the link has none', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  expect(await page.isVisible('#key-form')).toBe(true);
  await page.close();
});
