import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../config.js';

// The stack CLI's promise: a missing prerequisite or a taken port is one line saying what to
// do, exit code 1, and nothing started. Each case uses a private state dir.
const stateDir = mkdtempSync(join(tmpdir(), 'waymark-stack-cli-'));
const blockers: Server[] = [];
const ports: number[] = [];

function listen(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      blockers.push(server);
      resolvePort(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function runStack(args: string[], env: NodeJS.ProcessEnv) {
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  return spawnSync(
    process.execPath,
    [tsx, join(repoRoot, 'infra/stack/src/cli/stack.ts'), ...args],
    {
      env: { ...process.env, WAYMARK_STATE_DIR: stateDir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

beforeAll(async () => {
  for (let i = 0; i < 4; i++) ports.push(await listen());
});

afterAll(() => {
  for (const server of blockers) server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

it('names every taken port in one line and starts nothing', () => {
  const [kafka, controller, http] = ports.map(String);
  const result = runStack(['up'], {
    KAFKA_PORT: kafka,
    KAFKA_CONTROLLER_PORT: controller,
    CLICKHOUSE_HTTP_PORT: http,
  });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`port ${kafka} \\(Kafka\\).*set KAFKA_PORT to a free port`));
  expect(lines[0]).toMatch(/set CLICKHOUSE_HTTP_PORT to a free port/);
  const status = runStack(['status'], {});
  expect(status.stdout).toMatch(/kafka\s+stopped/);
  expect(status.stdout).toMatch(/clickhouse\s+stopped/);
});

it('says how to install java when it is missing', () => {
  // A PATH holding only node: no java, no mvn.
  const bin = mkdtempSync(join(tmpdir(), 'waymark-nojava-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  const [http] = ports.slice(2).map(String);
  const result = runStack(['up'], {
    PATH: bin,
    KAFKA_PORT: '1',
    KAFKA_CONTROLLER_PORT: '2',
    CLICKHOUSE_HTTP_PORT: http,
  });
  rmSync(bin, { recursive: true, force: true });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/java not found — install a Java 17\+ runtime/);
});

it('says how to install Python when ClickHouse needs installing and python3 is missing', () => {
  // An empty cache (the wheel not installed yet) and a PATH holding only node: no python3.
  const bin = mkdtempSync(join(tmpdir(), 'waymark-nopython-'));
  const cache = mkdtempSync(join(tmpdir(), 'waymark-nocache-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  const result = runStack(['up'], {
    PATH: bin,
    WAYMARK_CACHE_DIR: cache,
    KAFKA_PORT: '1',
    KAFKA_CONTROLLER_PORT: '2',
    CLICKHOUSE_HTTP_PORT: String(ports[3]),
  });
  rmSync(bin, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /python3 with the venv module \(for ClickHouse\) not found — install Python 3\.9\+ with venv/,
  );
});

it('rejects a bad setting with the variable name', () => {
  const result = runStack(['status'], { KAFKA_PORT: 'ninety' });
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toMatch(/^waymark: invalid stack settings — fix: KAFKA_PORT: /);
});
