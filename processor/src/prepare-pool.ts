import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '@waymark/kit/worker-thread';
import type { Logger } from 'pino';
import { type Prepared, prepare, toWorkItems } from './prepare.js';
import { type PrepareResponse, packValues, unpackPrepared } from './prepare-batch.js';
import type { SourceMessage, WorkItem } from './work.js';

/** Turns consumed messages into work items (one per event), on prepare threads or inline. */
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

/** A prepare thread (prepare-worker.ts). */
const startPrepareThread = () => startWorkerThread(import.meta.url, 'prepare-worker');

/** How soon a slot whose thread died may start another (a thread dying at start must not spin). */
const RESPAWN_AFTER_MS = 5000;

export interface PreparerOptions {
  /** Starts one prepare thread (tests swap it). */
  startThread?: () => Worker;
  /** Milliseconds before a dead thread's slot starts another. */
  respawnAfterMs?: number;
  /** True while the loader needs each event's ids (someone was erased). */
  wantsSubjects?: () => boolean;
}

/**
 * Decoding, validating, enriching and serializing take most of the processor's CPU (JSON parse
 * and stringify of every record); on the event loop they cap loading at one core. With
 * `threads` > 0 each partition batch is prepared on the least busy of that many threads, while
 * the event loop goes on fetching and inserting. 0 prepares inline.
 *
 * A thread that dies (out of memory, a bug) is logged and its batches are prepared again on the
 * event loop, so they still load and their offsets still commit; its slot starts a new thread
 * on a later batch, at most every `respawnAfterMs`, and prepares inline meanwhile.
 */
export function createPreparer(
  threads: number,
  log: Logger,
  options: PreparerOptions = {},
): Preparer {
  const inline = async (messages: readonly SourceMessage[]) => messages.flatMap(prepare);
  if (threads === 0) return { prepare: inline, close: async () => {} };
  const startThread = options.startThread ?? startPrepareThread;
  const respawnAfterMs = options.respawnAfterMs ?? RESPAWN_AFTER_MS;
  let nextId = 0;
  let closing = false;
  const slots: { thread: Thread | undefined; startedAt: number }[] = Array.from(
    { length: threads },
    () => ({ thread: undefined, startedAt: Number.NEGATIVE_INFINITY }),
  );

  const spawn = (slot: number): Thread => {
    const thread: Thread = { worker: startThread(), pending: new Map() };
    const fail = (err: Error) => {
      if (slots[slot]?.thread === thread) slots[slot].thread = undefined;
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
      if (!closing) log.error({ err: err.message, slot }, 'prepare thread died');
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
      p.resolve(p.sources.flatMap((source, i) => toWorkItems(source, prepared[i] as Prepared)));
    });
    thread.worker.once('error', fail);
    thread.worker.once('exit', (code) => fail(new Error(`prepare thread exited with ${code}`)));
    // Idle threads must not keep a stopping process alive.
    thread.worker.unref();
    return thread;
  };

  /** The least busy live thread, starting one in a free slot when allowed; none: inline. */
  const pick = (): Thread | undefined => {
    let best: Thread | undefined;
    slots.forEach((slot, i) => {
      if (slot.thread === undefined && performance.now() - slot.startedAt >= respawnAfterMs) {
        slot.startedAt = performance.now();
        slot.thread = spawn(i);
      }
      if (slot.thread && (!best || slot.thread.pending.size < best.pending.size)) {
        best = slot.thread;
      }
    });
    return best;
  };

  const onThread = (thread: Thread, messages: readonly SourceMessage[]) =>
    new Promise<WorkItem[]>((resolve, reject) => {
      const id = nextId++;
      const request = packValues(
        id,
        messages.map((m) => m.value),
        options.wantsSubjects?.() ?? false,
      );
      thread.pending.set(id, { sources: messages, resolve, reject });
      thread.worker.postMessage(request, [request.bytes.buffer, request.ends.buffer]);
    });

  return {
    prepare: async (messages) => {
      const thread = closing ? undefined : pick();
      if (thread === undefined) return inline(messages);
      try {
        return await onThread(thread, messages);
      } catch (err) {
        if (closing) throw err;
        return inline(messages);
      }
    },
    close: async () => {
      closing = true;
      await Promise.all(slots.map((slot) => slot.thread?.worker.terminate()));
    },
  };
}
