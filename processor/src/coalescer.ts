export interface CoalescerOptions<T> {
  /** A flush carries at most this many items (a single add() larger than this is split). */
  maxItems: number;
  /** Items wait at most this long for company before they are flushed. */
  maxWaitMs: number;
  /** Loads the items; resolves only once they are durable. Flushes never overlap. */
  flush: (items: T[]) => Promise<void>;
}

export interface AddOptions {
  /** Aborting removes the items if their flush has not started. */
  signal?: AbortSignal | undefined;
  /**
   * More data is waiting right behind these items (the consumer is catching up): flushing now
   * loses nothing to waiting, and what arrives during that flush joins the next one.
   */
  backlog?: boolean | undefined;
}

interface Entry<T> {
  items: T[];
  addedAt: number;
  backlog: boolean;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: the batches of several partitions (each handled by its own kafkajs worker)
 * share one insert. `add` resolves when the flush holding its items succeeded, which is when
 * the caller may commit its offsets. A flush starts when maxItems are waiting, when items added
 * with `backlog` wait (catching up: the running flush was the wait), or when the oldest waiting
 * item is maxWaitMs old (a trickle); while one flush runs (e.g. retrying through an outage) the
 * next waits, and items accumulate for it.
 */
export class Coalescer<T> {
  private waiting: Entry<T>[] = [];
  private waitingCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private urgent = false;
  private waitingBacklog = 0;

  constructor(private readonly options: CoalescerOptions<T>) {}

  /** Queues items; resolves once they are flushed. */
  add(items: readonly T[], options: AddOptions = {}): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const chunks: Promise<void>[] = [];
    for (let start = 0; start < items.length; start += this.options.maxItems) {
      chunks.push(this.addEntry(items.slice(start, start + this.options.maxItems), options));
    }
    return Promise.all(chunks).then(() => undefined);
  }

  /** Flushes what is waiting now instead of after maxWaitMs (shutdown). */
  flushSoon(): void {
    this.urgent = true;
    this.kick();
  }

  get pendingItems(): number {
    return this.waitingCount;
  }

  private addEntry(items: T[], { signal, backlog = false }: AddOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: Entry<T> = { items, addedAt: Date.now(), backlog, resolve, reject };
      this.waiting.push(entry);
      this.waitingCount += items.length;
      if (backlog) this.waitingBacklog += 1;
      signal?.addEventListener('abort', () => this.cancel(entry, signal.reason), { once: true });
      this.kick();
    });
  }

  private cancel(entry: Entry<T>, reason: unknown): void {
    const index = this.waiting.indexOf(entry);
    if (index === -1) return; // already flushing: its outcome stands
    this.waiting.splice(index, 1);
    this.waitingCount -= entry.items.length;
    if (entry.backlog) this.waitingBacklog -= 1;
    entry.reject(reason);
  }

  /** Starts a flush if one is due, else makes sure a timer will. */
  private kick(): void {
    const oldest = this.waiting[0];
    if (this.flushing || oldest === undefined) return;
    const age = Date.now() - oldest.addedAt;
    if (
      this.urgent ||
      this.waitingBacklog > 0 ||
      this.waitingCount >= this.options.maxItems ||
      age >= this.options.maxWaitMs
    ) {
      void this.flushNext();
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, this.options.maxWaitMs - age);
    }
  }

  private async flushNext(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const taken: Entry<T>[] = [];
    let count = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (taken.length > 0 && count + next.items.length > this.options.maxItems) break;
      taken.push(next);
      count += next.items.length;
      if (next.backlog) this.waitingBacklog -= 1;
      this.waiting.shift();
    }
    this.waitingCount -= count;
    this.flushing = true;
    try {
      await this.options.flush(taken.flatMap((e) => e.items));
      for (const entry of taken) entry.resolve();
    } catch (err) {
      for (const entry of taken) entry.reject(err);
    } finally {
      this.flushing = false;
      if (this.waiting.length === 0) this.urgent = false;
      this.kick();
    }
  }
}
