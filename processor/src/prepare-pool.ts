import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { type Prepared, prepare, toWorkItem } from './prepare.js';
import { type PrepareResponse, packValues, unpackPrepared } from './prepare-batch.js';
import type { SourceMessage, WorkItem } from './work.js';

/** Turns consumed messages into work items, on prepare threads or inline. */
export interface Preparer {
  prepare: (messages: readonly SourceMessage[]) => Promise<WorkItem[]>;
  close: () => Promise<void>;
}

interface Pending {
  sources: readonly SourceMessage[];
  resolve: (items: WorkItem[]) => void;
  reject: (err: unknown) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * A prepare thread. Built, it is `dist/prepare-worker.js` beside this module; run from the
 * TypeScript sources (the tests), the thread registers tsx first to load `prepare-worker.ts`.
 */
function startPrepareThread(): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const script = new URL(
    fromSources ? './prepare-worker.ts' : './prepare-worker.js',
    import.meta.url,
  );
  if (!fromSources) return new Worker(script);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/**
 * Decoding, validating, enriching and serializing take most of the processor's CPU (JSON parse
 * and stringify of every record); on the event loop they cap loading at one core. With
 * `threads` > 0 each partition batch is prepared on the least busy of that many threads, while
 * the event loop goes on fetching and inserting. A thread that dies fails its batches (kafkajs
 * fetches them again: nothing was committed) and is replaced. 0 prepares inline.
 */
export function createPreparer(threads: number, log: Logger): Preparer {
  if (threads === 0) {
    return { prepare: async (messages) => messages.map(prepare), close: async () => {} };
  }
  let nextId = 0;
  let closing = false;
  const pool: Thread[] = [];

  const spawn = (slot: number): Thread => {
    const thread: Thread = { worker: startPrepareThread(), pending: new Map() };
    const fail = (err: Error) => {
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
      if (closing) return;
      log.error({ err: err.message, slot }, 'prepare thread died; starting another');
      pool[slot] = spawn(slot);
    };
    thread.worker.on('message', (response: PrepareResponse) => {
      const p = thread.pending.get(response.id);
      if (p === undefined) return;
      thread.pending.delete(response.id);
      const prepared = unpackPrepared(response);
      if (prepared.length !== p.sources.length) {
        p.reject(new Error(`prepare thread answered ${prepared.length} of ${p.sources.length}`));
        return;
      }
      p.resolve(p.sources.map((source, i) => toWorkItem(source, prepared[i] as Prepared)));
    });
    thread.worker.once('error', fail);
    thread.worker.once('exit', (code) => fail(new Error(`prepare thread exited with ${code}`)));
    // Idle threads must not keep a stopping process alive.
    thread.worker.unref();
    return thread;
  };
  for (let slot = 0; slot < threads; slot++) pool.push(spawn(slot));

  return {
    prepare: (messages) =>
      new Promise<WorkItem[]>((resolve, reject) => {
        const thread = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
        const id = nextId++;
        const request = packValues(
          id,
          messages.map((m) => m.value),
        );
        thread.pending.set(id, { sources: messages, resolve, reject });
        thread.worker.postMessage(request, [request.bytes.buffer, request.ends.buffer]);
      }),
    close: async () => {
      closing = true;
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
