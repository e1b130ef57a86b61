import { createServer, type Server } from 'node:http';
import { testServices } from '@waymark/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedCommand } from '../cli/seed.js';
import { SeedSendError, sendEvents } from './send.js';

// A stand-in collector that records what it gets and answers as told.
let server: Server;
let url: string;
const received: { auth: string | undefined; count: number }[] = [];
let answers: { status: number; headers?: Record<string, string>; body?: unknown }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => {
      const batch = (JSON.parse(text) as { batch: unknown[] }).batch;
      received.push({ auth: request.headers.authorization, count: batch.length });
      const answer = answers.shift() ?? {
        status: 200,
        body: { success: true, accepted: batch.length, rejected: [] },
      };
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'track' as const,
    event: 'x',
    anonymousId: `a${i}`,
  }));

describe('sendEvents', () => {
  it('sends every event in batches with the write key as Basic user', async () => {
    received.length = 0;
    await sendEvents(events(25), { collectorUrl: url, writeKey: 'wk_test_key', batchSize: 10 });
    expect(received.map((r) => r.count).sort()).toEqual([10, 10, 5]);
    expect(received[0]?.auth).toBe(`Basic ${Buffer.from('wk_test_key:').toString('base64')}`);
  });

  it('retries 429 and 503 after Retry-After, and fails on a refusal or a partial accept', async () => {
    received.length = 0;
    answers = [
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 503, headers: { 'retry-after': '0' } },
    ];
    await sendEvents(events(3), { collectorUrl: url, writeKey: 'wk_test_key' });
    expect(received).toHaveLength(3);
    answers = [{ status: 401, body: { message: 'unknown write key' } }];
    await expect(
      sendEvents(events(3), { collectorUrl: url, writeKey: 'wk_test_key' }),
    ).rejects.toThrow(/401/);
    answers = [{ status: 200, body: { success: true, accepted: 2, rejected: [{ index: 2 }] } }];
    await expect(
      sendEvents(events(3), { collectorUrl: url, writeKey: 'wk_test_key' }),
    ).rejects.toThrow(SeedSendError);
  });
});

describe('waymark seed --if-empty', () => {
  it('seeds a database the processor has not created yet', async () => {
    received.length = 0;
    const out = await runSeedCommand(
      ['--people', '5', '--days', '10', '--bots', '0', '--collector', url, '--if-empty'],
      {
        CLICKHOUSE_URL: testServices().clickhouseUrl,
        CLICKHOUSE_DATABASE: 'wmt_no_such_database_for_seed',
      },
    );
    expect(out).toMatch(/^sent \d+ events for 5 people/);
    expect(received.reduce((s, r) => s + r.count, 0)).toBeGreaterThanOrEqual(5);
    expect(received[0]?.auth).toBe(`Basic ${Buffer.from('wk_demo_local:').toString('base64')}`);
  });
});
