/**
 * A service under a minimal process supervisor: restarted when it dies on its own (as systemd or
 * Kubernetes would), and killable on purpose (`kill -9`) by the chaos script.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, freePort, type ServiceProcess, startService } from '@waymark/test-harness';

export interface Supervised {
  readonly url: () => string;
  /** Unplanned exits the supervisor restarted. */
  readonly crashes: () => number;
  /** kill -9 and start again (a new port; callers read `url()`). */
  kill9AndRestart: () => Promise<void>;
  /** SIGTERM, wait for the exit code, and do not restart. */
  terminate: () => Promise<number | null>;
  output: () => string;
}

export async function supervise(
  pkg: 'collector' | 'processor' | 'dashboards',
  portVar: string,
  readyPath: string,
  env: Record<string, string>,
  /** When the process counts as up: the processor answers /health 503 while ClickHouse is down. */
  isUp: (status: number) => boolean = (status) => status === 200,
): Promise<Supervised> {
  let current: ServiceProcess | undefined;
  let url = '';
  let crashes = 0;
  let stopping = false;
  let log = '';

  const start = async (): Promise<void> => {
    const port = await freePort();
    const service = startService(pkg, { ...env, [portVar]: String(port) });
    current = service;
    url = `http://127.0.0.1:${port}`;
    service.child.once('exit', () => {
      log += service.output().slice(-4000);
      if (current !== service || stopping) return;
      crashes++;
      void sleep(500).then(() => (current === service && !stopping ? start() : undefined));
    });
    await eventually(
      async () => (isUp((await fetch(`${url}${readyPath}`)).status) ? true : undefined),
      {
        timeoutMs: 90_000,
        what: `${pkg} ${readyPath}`,
      },
    );
  };
  await start();
  return {
    url: () => url,
    crashes: () => crashes,
    output: () => `${log}${current?.output().slice(-4000) ?? ''}`,
    kill9AndRestart: async () => {
      const victim = current;
      current = undefined;
      await victim?.stop('SIGKILL');
      await start();
    },
    terminate: async () => {
      stopping = true;
      return (await current?.stop('SIGTERM')) ?? null;
    },
  };
}
