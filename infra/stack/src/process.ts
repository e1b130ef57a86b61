import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './config.js';

/** What `stack:status` reports for one component. */
export interface ServiceStatus {
  name: string;
  running: boolean;
  pid?: number;
  address: string;
  logFile: string;
}

/** The status of a daemon the repo starts, from its pid file. */
export function daemonStatus(
  name: string,
  pidFile: string,
  address: string,
  logFile: string,
): ServiceStatus {
  const pid = runningPid(pidFile);
  return {
    name,
    running: pid !== undefined,
    ...(pid !== undefined ? { pid } : {}),
    address,
    logFile,
  };
}

/** True when a process with this pid exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid recorded in a pid file, if that process still runs. */
export function runningPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
/** A TCP port that was free a moment ago, for a service a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function isPortOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (await isPortOpen(port)) {
    throw new StackError(
      `port ${port} (${what}) is already used by a process Waymark did not start: stop it, or set ${envVar} to a free port`,
    );
  }
}

/** Fails with a one-line fix when a required program is not on PATH. */
export function requireCommand(command: string, versionArg: string, fix: string): void {
  const probe = spawnSync(command, [versionArg], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new StackError(`${command} not found — ${fix}`);
  }
}

/**
 * Starts a long-running daemon detached from this process, output appended to logFile,
 * pid written to pidFile, so `stack:down` from another shell can stop exactly it.
 */
export function spawnDaemon(opts: {
  command: string;
  args: string[];
  logFile: string;
  pidFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}): number {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  mkdirSync(dirname(opts.pidFile), { recursive: true });
  const out = openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new StackError(`could not start ${opts.command}`);
  child.unref();
  writeFileSync(opts.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** SIGTERM, wait up to graceMs, then SIGKILL. Removes the pid file. */
export async function stopPid(pidFile: string, graceMs = 20_000): Promise<boolean> {
  const pid = runningPid(pidFile);
  if (pid === undefined) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  rmSync(pidFile, { force: true });
  return true;
}

/** Polls `check` until it returns true, or fails with `what` and a pointer to the log. */
export async function waitUntil(
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; what: string; logFile: string; pid?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new StackError(`${opts.what} exited during start-up — see ${opts.logFile}`);
    }
    await sleep(250);
  }
  throw new StackError(
    `${opts.what} not ready after ${Math.round(opts.timeoutMs / 1000)} s — see ${opts.logFile}`,
  );
}

/** Fills ${NAME} placeholders; an unknown name is a bug in the template, so it throws. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder \${${name}} has no value`);
    return String(value);
  });
}
