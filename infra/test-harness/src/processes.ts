import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@waymark/stack/config';
import { freePort } from '@waymark/stack/process';

export { freePort };

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM (or the given signal) and wait for exit; returns the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Node flags for every service started here, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to
 * profile the services under a test or the bench (Node refuses `--cpu-prof` in NODE_OPTIONS).
 */
const serviceNodeFlags = (process.env.WAYMARK_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/** Runs a built service (`<package>/dist/main.js`) as a child process with the given env. */
export function startService(pkg: string, env: Record<string, string>): ServiceProcess {
  const main = join(repoRoot, pkg, 'dist', 'main.js');
  const child = spawn(process.execPath, [...serviceNodeFlags, main], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => resolveExit(code)),
  );
  return {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls until `check` returns a value that is not undefined, or throws after timeoutMs. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

export interface Pipeline {
  collector: ServiceProcess;
  processor: ServiceProcess;
  collectorUrl: string;
  /** The processor's health and metrics endpoints. */
  processorUrl: string;
  stop: () => Promise<void>;
}

/**
 * The built collector and processor as child processes on a topic and database of the test's
 * own, on the test services; resolves once the collector answers /health.
 */
export async function startPipeline(opts: {
  topic: string;
  database: string;
  /** The collector's WAYMARK_PROJECTS (JSON). */
  projects: string;
}): Promise<Pipeline> {
  const { KAFKA_BROKERS = '', CLICKHOUSE_URL = '' } = process.env;
  const port = await freePort();
  const collectorUrl = `http://127.0.0.1:${port}`;
  const common = { KAFKA_BROKERS, KAFKA_EVENTS_TOPIC: opts.topic };
  const collector = startService('collector', {
    ...common,
    COLLECTOR_PORT: String(port),
    KAFKA_TOPIC_PARTITIONS: '2',
    WAYMARK_PROJECTS: opts.projects,
  });
  const processorPort = await freePort();
  const processor = startService('processor', {
    ...common,
    KAFKA_CONSUMER_GROUP: `${opts.topic}-loader`,
    CLICKHOUSE_URL,
    CLICKHOUSE_DATABASE: opts.database,
    PROCESSOR_PORT: String(processorPort),
    // Its projects' retention periods.
    WAYMARK_PROJECTS: opts.projects,
  });
  const stop = async () => {
    await Promise.all([collector.stop(), processor.stop()]);
  };
  try {
    await eventually(async () => ((await fetch(`${collectorUrl}/health`)).ok ? true : undefined), {
      what: `collector /health (${collector.output()})`,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    collector,
    processor,
    collectorUrl,
    processorUrl: `http://127.0.0.1:${processorPort}`,
    stop,
  };
}
