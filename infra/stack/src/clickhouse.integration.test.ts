import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clickhousePaths, clickhouseUrl, startClickHouse, stopClickHouse } from './clickhouse.js';
import { loadStackConfig, type StackConfig } from './config.js';
import { freePort, isAlive } from './process.js';

// The local engine is the current ClickHouse from the chdb-core wheel: a private instance
// (own port and data dir; the wheel from the shared cache) that this test may kill.
const stateDir = mkdtempSync(join(tmpdir(), 'waymark-clickhouse-'));
let stack: StackConfig;

beforeAll(async () => {
  stack = loadStackConfig({
    CLICKHOUSE_HTTP_PORT: String(await freePort()),
    WAYMARK_STATE_DIR: stateDir,
  });
  await startClickHouse(stack);
}, 180_000);

afterAll(async () => {
  await stopClickHouse(stack);
  rmSync(stateDir, { recursive: true, force: true });
});

function client() {
  return createClient({ url: clickhouseUrl(stack) });
}

it('serves a current ClickHouse on loopback', async () => {
  const ch = client();
  try {
    const rs = await ch.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    const [{ v }] = (await rs.json()) as [{ v: string }];
    expect(Number(v.split('.')[0])).toBeGreaterThanOrEqual(24);
    // Server-side query parameters and DateTime64, which 18.16 lacked.
    const p = await ch.query({
      query: 'SELECT toDateTime64({t:String}, 3) AS t',
      query_params: { t: '2026-01-02 03:04:05.678' },
      format: 'JSONEachRow',
    });
    expect(await p.json()).toEqual([{ t: '2026-01-02 03:04:05.678' }]);
  } finally {
    await ch.close();
  }
});

it('keeps every acknowledged insert across a kill -9 and restart', async () => {
  const ch = client();
  try {
    await ch.command({ query: 'CREATE DATABASE IF NOT EXISTS crash' });
    await ch.command({
      query: 'CREATE TABLE crash.t (n UInt32) ENGINE = MergeTree ORDER BY n',
    });
    for (let i = 0; i < 5; i++) {
      await ch.insert({
        table: 'crash.t',
        values: Array.from({ length: 1000 }, (_, k) => ({ n: i * 1000 + k })),
        format: 'JSONEachRow',
      });
    }
  } finally {
    await ch.close();
  }
  const pid = Number(readFileSync(clickhousePaths(stack).pidFile, 'utf8'));
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  await startClickHouse(stack);
  const again = client();
  try {
    const rs = await again.query({
      query: 'SELECT count() AS rows, uniqExact(n) AS distinct_n FROM crash.t',
      format: 'JSONEachRow',
    });
    // UInt64 comes back as a JSON number on current releases, quoted on older ones.
    const [counts] = (await rs.json()) as [{ rows: number | string; distinct_n: number | string }];
    expect([Number(counts.rows), Number(counts.distinct_n)]).toEqual([5000, 5000]);
  } finally {
    await again.close();
  }
}, 120_000);
