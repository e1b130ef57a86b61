/**
 * Starting a service's worker threads (the collector's producer thread, the processor's prepare
 * threads) the same way whether it runs built or from its TypeScript sources.
 */
import { Worker } from 'node:worker_threads';

/**
 * Runs the module `name` beside the calling module (`callerUrl`: its `import.meta.url`) on a new
 * thread. Built, that is `name.js` next to the caller's bundle; run from the TypeScript sources
 * (the tests), the thread registers tsx first to load `name.ts`.
 */
export function startWorkerThread(callerUrl: string, name: string, workerData?: unknown): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const script = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(script, { workerData });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
