/**
 * Failed read-key attempts per client address, in fixed windows: after `max` failures an
 * address gets 429 until its window ends — for every request, the right key included, or a
 * guesser would only have to keep going. Unlimited, one client tried 2,277 keys a second. In
 * memory, per process (divide by the replica count, as for the collector's limits).
 */

interface Window {
  failures: number;
  endsAt: number;
}

// Addresses tracked at most: past it, ended windows are dropped; a flood of addresses that
// stay under the limit can then not grow memory without bound either (the oldest go first).
const MAX_TRACKED = 100_000;

export class AuthFailures {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Seconds until the address may try again; 0 when it may now. */
  blockedFor(address: string): number {
    const window = this.windows.get(address);
    if (window === undefined) return 0;
    const left = window.endsAt - this.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return window.failures >= this.max ? Math.ceil(left / 1000) : 0;
  }

  failed(address: string): void {
    const now = this.now();
    const window = this.windows.get(address);
    if (window !== undefined && window.endsAt > now) {
      window.failures++;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.prune(now);
    this.windows.set(address, { failures: 1, endsAt: now + this.windowMs });
  }

  private prune(now: number): void {
    for (const [address, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(address);
    }
    // Insertion order is age: drop the oldest until there is room.
    for (const address of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(address);
    }
  }
}
