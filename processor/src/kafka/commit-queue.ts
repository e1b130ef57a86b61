/** One partition batch handed on for loading: committing `next` says everything before it is stored. */
export interface TrackedBatch {
  partition: number;
  /** The offset to commit once this batch and every earlier one of its partition are durable. */
  next: string;
  /** The partition's end when the batch was fetched (for the lag gauge). */
  highWatermark: string;
  items: number;
}

export interface PartitionOffset {
  partition: number;
  offset: string;
  highWatermark: string;
}

// kafkajs already retries a commit; this only spaces out further attempts (Kafka down).
const COMMIT_RETRY_MS = 1000;

interface Entry {
  batch: TrackedBatch;
  state: 'loading' | 'durable' | 'failed';
}

/**
 * Lets the consumer fetch and prepare the next batches while earlier ones are still being
 * inserted, without ever committing an offset whose messages are not all stored. Batches are
 * kept per partition in fetch order; an offset is committed only for the longest prefix of a
 * partition's batches that are durable. A batch that failed to load (shutdown deadline) blocks
 * its partition's commits for good: what follows it is replayed by whoever consumes next.
 * One commit request is in flight at a time; offsets that become committable meanwhile are sent
 * together in the next one.
 */
export class CommitQueue {
  private readonly partitions = new Map<number, Entry[]>();
  private readonly blocked = new Set<number>();
  private readonly ready = new Map<number, PartitionOffset>();
  private readonly committedUpTo = new Map<number, bigint>();
  private loadingItems = 0;
  private loadingBatches = 0;
  private committing = false;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(
    private readonly commit: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly onCommitFailed: (err: unknown) => void,
  ) {}

  /** Items handed on and not yet durable (or failed). */
  get pendingItems(): number {
    return this.loadingItems;
  }

  /**
   * Follows one batch: `durable` settles when its load succeeded or failed for good. Returns a
   * function that corrects the batch's item count while it loads (a message holds several
   * events: known once it was prepared).
   */
  track(batch: TrackedBatch, durable: Promise<void>): (items: number) => void {
    const entry: Entry = { batch: { ...batch }, state: 'loading' };
    const queue = this.partitions.get(batch.partition) ?? [];
    queue.push(entry);
    this.partitions.set(batch.partition, queue);
    this.loadingItems += batch.items;
    this.loadingBatches += 1;
    durable.then(
      () => this.settle(entry, 'durable'),
      () => this.settle(entry, 'failed'),
    );
    return (items) => {
      if (entry.state !== 'loading') return;
      this.loadingItems += items - entry.batch.items;
      entry.batch.items = items;
      this.wake();
    };
  }

  /** Resolves once at most `maxItems` are still loading (back-pressure on fetching). */
  roomFor(maxItems: number): Promise<void> {
    return this.when(() => this.loadingItems <= maxItems);
  }

  /** Resolves once every tracked batch has settled and every committable offset was sent. */
  idle(): Promise<void> {
    return this.when(() => this.loadingBatches === 0 && !this.committing && this.ready.size === 0);
  }

  private when(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.check()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  private settle(entry: Entry, state: 'durable' | 'failed'): void {
    entry.state = state;
    this.loadingItems -= entry.batch.items;
    this.loadingBatches -= 1;
    this.advance(entry.batch.partition);
    this.wake();
  }

  /** Pops the partition's durable prefix and makes its end committable. */
  private advance(partition: number): void {
    const queue = this.partitions.get(partition) ?? [];
    let head = queue[0];
    while (head !== undefined && head.state === 'durable') {
      queue.shift();
      // Never move a partition's offset backwards: after a rebalance the same partition may be
      // fetched again from an earlier committed offset while later batches are still loading.
      const next = BigInt(head.batch.next);
      if (!this.blocked.has(partition) && next > (this.committedUpTo.get(partition) ?? -1n)) {
        this.committedUpTo.set(partition, next);
        this.ready.set(partition, {
          partition,
          offset: head.batch.next,
          highWatermark: head.batch.highWatermark,
        });
      }
      head = queue[0];
    }
    if (head?.state === 'failed') {
      this.blocked.add(partition);
      queue.shift();
      if (queue.length > 0) this.advance(partition);
    }
    if (queue.length === 0) this.partitions.delete(partition);
    void this.flushCommits();
  }

  private async flushCommits(): Promise<void> {
    if (this.committing || this.ready.size === 0) return;
    this.committing = true;
    const offsets = [...this.ready.values()];
    this.ready.clear();
    let retryIn = 0;
    try {
      await this.commit(offsets);
    } catch (err) {
      this.onCommitFailed(err);
      // Sent again unless a later offset of the partition is waiting already (it covers these).
      for (const offset of offsets) {
        if (!this.ready.has(offset.partition)) this.ready.set(offset.partition, offset);
      }
      retryIn = COMMIT_RETRY_MS;
    }
    const done = () => {
      this.committing = false;
      this.wake();
      void this.flushCommits();
    };
    if (retryIn === 0) done();
    else setTimeout(done, retryIn).unref();
  }
}
