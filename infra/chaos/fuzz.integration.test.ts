/**
 * Bad input at scale through the real pipeline: hostile requests (malformed JSON, wrong types,
 * huge strings, deep nesting, bad encodings, wrong or missing keys, oversized bodies — the
 * collector's own generators) interleaved with valid traffic, against a collector producing to
 * real Kafka and a processor loading real ClickHouse. No 5xx, no crash, every valid event stored.
 *
 * Size by env: WAYMARK_FUZZ_REQUESTS (3,000 by default; the full form is 100,000).
 */

import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { badBody, mixedBatch, validEvent } from '@waymark/collector/test/payloads';
import { eventually } from '@waymark/test-harness';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { countDeadLetters, deadLetterReasons } from './dead-letters.js';
import { type PrivateStack, privateStack } from './private-stack.js';
import { type Supervised, supervise } from './supervisor.js';

const REQUESTS = z.coerce
  .number()
  .int()
  .min(300)
  .max(10_000_000)
  .default(3_000)
  .parse(process.env.WAYMARK_FUZZ_REQUESTS);
const WRITE_KEY = 'wk_fuzz_write_key';
const DATABASE = 'fuzz';
const DEAD_LETTERS = 'fuzz.events.dead';
const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;

let stack: PrivateStack;
const services: Supervised[] = [];

beforeAll(async () => {
  stack = await privateStack();
}, 300_000);

afterAll(async () => {
  for (const s of services) await s.terminate().catch(() => undefined);
  await stack?.destroy();
}, 120_000);

interface Request {
  body: string | Buffer;
  headers: Record<string, string>;
  /** messageIds of the valid events it carries (stored iff the answer is 2xx). */
  validIds: string[];
}

/** One third valid batches, one third hostile bodies, one third hostile batches with valid events. */
function requests(count: number, seed: number): Request[] {
  const json = { 'content-type': 'application/json', authorization: auth };
  const third = Math.ceil(count / 3);
  const valid = fc.sample(fc.array(validEvent, { minLength: 1, maxLength: 5 }), {
    numRuns: third,
    seed,
  });
  const hostile = fc.sample(badBody, { numRuns: third, seed: seed + 1 });
  const mixed = fc.sample(mixedBatch, { numRuns: third, seed: seed + 2 });
  const out: Request[] = [];
  for (let i = 0; out.length < count; i++) {
    const v = valid[i];
    const h = hostile[i];
    const m = mixed[i];
    if (v)
      out.push({
        body: JSON.stringify({ batch: v }),
        headers: json,
        validIds: v.map((e) => e.messageId),
      });
    if (h) out.push({ body: h.body, headers: { ...json, ...h.headers }, validIds: [] });
    if (m)
      out.push({ body: JSON.stringify({ batch: m.batch }), headers: json, validIds: m.validIds });
  }
  return out.slice(0, count);
}

it(`answers ${REQUESTS} hostile and valid requests without a 5xx or a crash, storing every valid event`, async () => {
  const kafkaEnv = {
    KAFKA_BROKERS: stack.brokers,
    KAFKA_EVENTS_TOPIC: 'fuzz.events',
    LOG_LEVEL: 'error',
  };
  const collector = await supervise('collector', 'COLLECTOR_PORT', '/ready', {
    ...kafkaEnv,
    WAYMARK_PROJECTS: JSON.stringify([{ id: 'fuzz', writeKey: WRITE_KEY }]),
    COLLECTOR_RATE_LIMIT_PER_KEY: '0',
    COLLECTOR_RATE_LIMIT_PER_IP: '0',
  });
  const processor = await supervise(
    'processor',
    'PROCESSOR_PORT',
    '/health',
    {
      ...kafkaEnv,
      KAFKA_CONSUMER_GROUP: 'fuzz-loader',
      CLICKHOUSE_URL: stack.clickhouseUrl,
      CLICKHOUSE_DATABASE: DATABASE,
    },
    (status) => status > 0,
  );
  services.push(collector, processor);

  const statuses = new Map<number, number>();
  const stored = new Set<string>();
  let next = 0;
  // Generated in slices so 100,000 requests never sit in memory at once.
  const SLICE = 3000;
  for (let offset = 0; offset < REQUESTS; offset += SLICE) {
    const slice = requests(Math.min(SLICE, REQUESTS - offset), 1000 + offset);
    next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < slice.length) {
          const r = slice[next++] as Request;
          let status = 0;
          try {
            const res = await fetch(`${collector.url()}/v1/batch`, {
              method: 'POST',
              headers: r.headers,
              body: r.body,
              signal: AbortSignal.timeout(15_000),
            });
            await res.arrayBuffer();
            status = res.status;
          } catch {
            status = 0;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 200 && status < 300) for (const id of r.validIds) stored.add(id);
        }
      }),
    );
  }
  const summary = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
  console.log(
    `[fuzz] ${REQUESTS} requests, answers by status: ${JSON.stringify(summary)}, valid events acknowledged: ${stored.size}`,
  );

  const serverErrors = [...statuses]
    .filter(([s]) => s >= 500 || s === 0)
    .reduce((n, [, c]) => n + c, 0);
  expect(serverErrors).toBe(0);
  expect(collector.crashes()).toBe(0);
  expect(processor.crashes()).toBe(0);
  expect(stored.size).toBeGreaterThan(REQUESTS / 3);

  const ch = createClient({ url: stack.clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
  try {
    const storedCount = async () => {
      const rs = await ch.query({
        query: `SELECT uniqExact(message_id) AS n FROM ${DATABASE}.events`,
        format: 'JSONEachRow',
      });
      return Number(((await rs.json()) as { n: string }[])[0]?.n ?? 0);
    };
    // Every acknowledged valid event must end up somewhere a person can see it: loaded, or in the
    // dead-letter topic with a reason. Silent loss fails here.
    const accounted = await eventually(
      async () => {
        const n = await storedCount();
        const dead = await countDeadLetters(stack.brokers, DEAD_LETTERS);
        return n + dead >= stored.size ? { n, dead } : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 1000,
        what: 'every acknowledged valid event accounted for',
      },
    );
    const reasons = await deadLetterReasons(stack.brokers, DEAD_LETTERS, accounted.dead);
    console.log(
      `[fuzz] ${stored.size} valid events acknowledged: ${accounted.n} stored, ${accounted.dead} dead-lettered ${JSON.stringify(reasons)}`,
    );
    expect(accounted.n + accounted.dead).toBe(stored.size);
    // The collector and the processor share one idea of a valid event: every acknowledged valid
    // event is stored, none dead-lettered.
    expect(reasons).toEqual({});
    expect(accounted.n).toBe(stored.size);
  } finally {
    await ch.close();
  }
}, 3_600_000);
