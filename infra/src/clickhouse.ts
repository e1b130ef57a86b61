import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackage } from './apt.js';
import { repoRoot, type StackConfig } from './config.js';
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

export function clickhousePaths(config: StackConfig) {
  const home = join(config.stateDir, 'clickhouse');
  return {
    home,
    data: join(home, 'data'),
    logs: join(home, 'logs'),
    logFile: join(home, 'logs', 'clickhouse-server.log'),
    stdoutFile: join(home, 'logs', 'stdout.log'),
    configDir: join(home, 'config'),
    pidFile: join(config.stateDir, 'run', 'clickhouse.pid'),
  };
}

export function clickhouseUrl(config: StackConfig): string {
  return `http://127.0.0.1:${config.clickhouseHttpPort}`;
}

export function ensureClickHouseInstalled(): void {
  ensureDebianPackage('clickhouse-server', 'clickhouse-server', 'the ClickHouse server');
}

async function pings(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.ok && (await res.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

function writeConfig(config: StackConfig): string {
  const paths = clickhousePaths(config);
  for (const dir of [paths.data, paths.logs, paths.configDir]) mkdirSync(dir, { recursive: true });
  const values = {
    LOG_DIR: paths.logs,
    DATA_DIR: paths.data,
    CONFIG_DIR: paths.configDir,
    HTTP_PORT: config.clickhouseHttpPort,
    TCP_PORT: config.clickhouseTcpPort,
  };
  for (const file of ['config.xml', 'users.xml']) {
    const template = readFileSync(join(repoRoot, 'infra', 'config', 'clickhouse', file), 'utf8');
    writeFileSync(join(paths.configDir, file), fillTemplate(template, values));
  }
  return join(paths.configDir, 'config.xml');
}

export function clickhouseStatus(config: StackConfig): ServiceStatus {
  const paths = clickhousePaths(config);
  return daemonStatus('clickhouse', paths.pidFile, clickhouseUrl(config), paths.logFile);
}

/** Idempotent: installs the Debian package when missing, starts the server, waits for /ping. */
export async function startClickHouse(config: StackConfig): Promise<void> {
  const paths = clickhousePaths(config);
  const url = clickhouseUrl(config);
  const existing = runningPid(paths.pidFile);
  const opts = { timeoutMs: 60_000, what: 'ClickHouse', logFile: paths.logFile };
  if (existing !== undefined) {
    await waitUntil(() => pings(url), { ...opts, pid: existing });
    return;
  }
  ensureClickHouseInstalled();
  await assertPortFree(config.clickhouseHttpPort, 'ClickHouse HTTP', 'CLICKHOUSE_HTTP_PORT');
  await assertPortFree(config.clickhouseTcpPort, 'ClickHouse native', 'CLICKHOUSE_TCP_PORT');
  const configFile = writeConfig(config);
  const pid = spawnDaemon({
    command: 'clickhouse-server',
    args: [`--config-file=${configFile}`],
    cwd: paths.home,
    logFile: paths.stdoutFile,
    pidFile: paths.pidFile,
  });
  await waitUntil(() => pings(url), { ...opts, pid });
}

export async function stopClickHouse(config: StackConfig): Promise<boolean> {
  return stopPid(clickhousePaths(config).pidFile, 30_000);
}
