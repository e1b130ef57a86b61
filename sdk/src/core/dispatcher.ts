import type { WireEvent } from '@waymark/contract/wire';
import type { Queue } from './queue.js';
import { isRetryable, MAX_BODY_BYTES, retryDelay, type Transport } from './transport.js';

export interface DispatcherOptions {
  url: string;
  writeKey: string;
  /** Send as soon as this many events wait. */
  flushAt: number;
  /** Send at most this long after an event was queued. */
  flushIntervalMs: number;
  maxRetryDelayMs: number;
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/**
 * Moves events from the persistent queue to the collector: by count and by time, one batch
 * under the keepalive limit at a time, retrying with backoff. An event leaves the queue only
 * when the collector accepted it (2xx) or refused it for good (other 4xx), and keeps its
 * messageId across retries so that duplicates collapse downstream.
 */
export function createDispatcher(queue: Queue, transport: Transport, options: DispatcherOptions) {
  const { url, writeKey } = options;
  const inFlight = new Set<string | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let backingOff = false;
  let attempt = 0;
  let sending: Promise<void> | undefined;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      backingOff = false;
      void flush();
    }, ms);
  };

  const body = (batch: WireEvent[]) => {
    const sentAt = new Date().toISOString();
    return JSON.stringify({
      writeKey,
      sentAt,
      batch: batch.map((event) => ({ ...event, sentAt })),
    });
  };

  /** The next batch: the oldest waiting events whose body stays under the limit (at least one). */
  const nextBatch = (): WireEvent[] => {
    const batch: WireEvent[] = [];
    let bytes = 100;
    for (const event of queue.read()) {
      if (inFlight.has(event.messageId)) continue;
      bytes += byteLength(JSON.stringify(event)) + 40;
      if (batch.length && bytes > MAX_BODY_BYTES) break;
      batch.push(event);
    }
    return batch;
  };

  async function sendAll(): Promise<void> {
    for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
      const ids = new Set(batch.map((event) => event.messageId));
      for (const id of ids) inFlight.add(id);
      let result: Awaited<ReturnType<Transport['send']>> = { status: 0 };
      try {
        result = await transport.send(url, body(batch));
      } catch {
        // A network error: status 0, retried.
      }
      for (const id of ids) inFlight.delete(id);
      if (isRetryable(result.status)) {
        backingOff = true;
        schedule(retryDelay(attempt++, options.maxRetryDelayMs, result.retryAfter));
        return;
      }
      queue.remove(ids);
      attempt = 0;
      backingOff = false;
    }
  }

  /** Sends everything waiting now (also during a backoff: the caller asked). */
  function flush(): Promise<void> {
    if (!backingOff) {
      clearTimeout(timer);
      timer = undefined;
    }
    sending ??= sendAll().finally(() => {
      sending = undefined;
    });
    return sending;
  }

  return {
    flush,
    /** Stops the timers (Node shutdown); events stay queued. */
    stop: (): void => {
      clearTimeout(timer);
      timer = undefined;
      backingOff = true;
    },
    /** After an event was queued: send now, or soon, but never during a backoff. */
    queued(): void {
      if (backingOff) return;
      if (queue.read().length >= options.flushAt) void flush();
      else if (!timer) schedule(options.flushIntervalMs);
    },
    /** The page is going away: hand what waits to sendBeacon, which outlives the page. */
    beacon: (): void => {
      if (!transport.beacon) return;
      for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
        if (!transport.beacon(url, body(batch))) return;
        queue.remove(new Set(batch.map((event) => event.messageId)));
      }
    },
  };
}
