/**
 * The local ClickHouse: the current engine from PyPI's `chdb-core` wheel (pinned), whose
 * embedded clickhouse-local opens ClickHouse's own HTTP listener (clickhouse-launch.py). No
 * ClickHouse release binary or container image can be fetched where Waymark is developed and
 * tested, and Debian's clickhouse-server (18.16) is years out of support. It has no access
 * control, so it binds to 127.0.0.1 only; production points CLICKHOUSE_URL at a real server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StackConfig, StackError, stackRoot } from './config.js';
import {
  assertPortFree,
  daemonStatus,
  fillTemplate,
  runningPid,
  type ServiceStatus,
  spawnDaemon,
  stopPid,
  waitUntil,
} from './process.js';

/** The wheel that embeds ClickHouse 26.9; bump it and the cache path moves with it. */
export const CHDB_CORE_VERSION = '26.9.0';

const LAUNCHER = join(stackRoot, 'src', 'clickhouse-launch.py');

export function clickhousePaths(config: StackConfig) {
  const home = join(config.stateDir, 'clickhouse');
  const venv = join(config.cacheDir, `chdb-core-${CHDB_CORE_VERSION}`);
  return {
    home,
    venv,
    python: join(venv, 'bin', 'python'),
    /** Written last by the install, so an interrupted one never looks complete. */
    installedMarker: join(venv, '.waymark-installed'),
    data: join(home, 'data'),
    logs: join(home, 'logs'),
    logFile: join(home, 'logs', 'clickhouse.log'),
    stdoutFile: join(home, 'logs', 'stdout.log'),
    configDir: join(home, 'config'),
    pidFile: join(config.stateDir, 'run', 'clickhouse.pid'),
  };
}

export function clickhouseUrl(config: StackConfig): string {
  return `http://127.0.0.1:${config.clickhouseHttpPort}`;
}

const pythonFix =
  'install Python 3.9+ with venv (Debian/Ubuntu: apt-get install python3 python3-venv)';

function tail(result: { stdout: string; stderr: string }, lines = 3): string {
  return `${result.stdout}${result.stderr}`.trim().split('\n').slice(-lines).join(' | ');
}

/** Creates the venv under the git-ignored cache and installs the pinned chdb-core, once. */
export function ensureClickHouseInstalled(config: StackConfig): void {
  const paths = clickhousePaths(config);
  if (existsSync(paths.installedMarker)) return;
  const probe = spawnSync(
    'python3',
    ['-c', 'import sys, venv; sys.exit(sys.version_info < (3, 9))'],
    {
      stdio: 'ignore',
    },
  );
  if (probe.error || probe.status !== 0) {
    throw new StackError(`python3 with the venv module (for ClickHouse) not found — ${pythonFix}`);
  }
  rmSync(paths.venv, { recursive: true, force: true });
  mkdirSync(config.cacheDir, { recursive: true });
  const run = (command: string, args: string[]) =>
    spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const venv = run('python3', ['-m', 'venv', paths.venv]);
  if (venv.status !== 0) {
    throw new StackError(`python3 -m venv failed (${tail(venv)}) — ${pythonFix}`);
  }
  const pip = run(paths.python, [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-deps',
    `chdb-core==${CHDB_CORE_VERSION}`,
  ]);
  if (pip.status !== 0) {
    throw new StackError(`pip could not install chdb-core==${CHDB_CORE_VERSION}: ${tail(pip)}`);
  }
  writeFileSync(paths.installedMarker, `chdb-core==${CHDB_CORE_VERSION}\n`);
}

async function pings(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok && (await res.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

function writeConfig(config: StackConfig): void {
  const paths = clickhousePaths(config);
  for (const dir of [paths.data, paths.logs, paths.configDir]) mkdirSync(dir, { recursive: true });
  const template = readFileSync(join(stackRoot, 'config', 'clickhouse', 'config.xml'), 'utf8');
  const values = {
    LOG_DIR: paths.logs,
    DATA_DIR: paths.data,
    HTTP_PORT: config.clickhouseHttpPort,
  };
  writeFileSync(join(paths.configDir, 'config.xml'), fillTemplate(template, values));
}

export function clickhouseStatus(config: StackConfig): ServiceStatus {
  const paths = clickhousePaths(config);
  return daemonStatus('clickhouse', paths.pidFile, clickhouseUrl(config), paths.logFile);
}

/** Idempotent: installs chdb-core when missing, starts the engine, waits for /ping. */
export async function startClickHouse(config: StackConfig): Promise<void> {
  const paths = clickhousePaths(config);
  const url = clickhouseUrl(config);
  const existing = runningPid(paths.pidFile);
  const opts = { timeoutMs: 60_000, what: 'ClickHouse', logFile: paths.stdoutFile };
  if (existing !== undefined) {
    await waitUntil(() => pings(url), { ...opts, pid: existing });
    return;
  }
  ensureClickHouseInstalled(config);
  await assertPortFree(config.clickhouseHttpPort, 'ClickHouse HTTP', 'CLICKHOUSE_HTTP_PORT');
  writeConfig(config);
  const pid = spawnDaemon({
    command: paths.python,
    args: [LAUNCHER, paths.configDir, paths.data],
    cwd: paths.configDir,
    logFile: paths.stdoutFile,
    pidFile: paths.pidFile,
  });
  await waitUntil(() => pings(url), { ...opts, pid });
}

/**
 * The engine keeps acknowledged inserts in its parts on disk, so stopping it at any moment
 * (it has no graceful shutdown of its own under SIGTERM) loses nothing acknowledged.
 */
export async function stopClickHouse(config: StackConfig): Promise<boolean> {
  return stopPid(clickhousePaths(config).pidFile, 10_000);
}
