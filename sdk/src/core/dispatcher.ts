import type { WireEvent } from '@waymark/contract/wire';
import type { Queue } from './queue.js';
import { isRetryable, MAX_BODY_BYTES, retryDelay, type Transport } from './transport.js';

/** The settings the dispatcher reads, under their names in WaymarkConfig (so the client passes its own). */
export interface DispatcherOptions {
  url: string;
  writeKey: string;
  /** Send as soon as this many events wait. */
  flushAt: number;
  /** Send at most this many ms after an event was queued. */
  flushInterval: number;
  /** Longest wait between retries, ms. */
  maxRetryDelay: number;
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

const idsOf = (batch: WireEvent[]) => new Set(batch.map((event) => event.messageId));

/**
 * Moves events from the persistent queue to the collector: by count and by time, one batch
 * under the keepalive limit at a time, retrying with backoff. An event leaves the queue only
 * when the collector accepted it (2xx) or refused it for good (other 4xx), and keeps its
 * messageId across retries so that duplicates collapse downstream.
 */
export function createDispatcher(queue: Queue, transport: Transport, options: DispatcherOptions) {
  const { url } = options;
  /** The messageIds of the batch on its way (one at a time), which a beacon leaves to it. */
  let inFlight = new Set<string | undefined>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let backingOff = false;
  let attempt = 0;
  let sending: Promise<void> | undefined;

  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };

  // The timer's flush clears `timer` itself: no backoff once the wait is over.
  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      backingOff = false;
      void flush();
    }, ms);
  };

  const body = (batch: WireEvent[]) => {
    const sentAt = new Date().toISOString();
    return JSON.stringify({
      writeKey: options.writeKey,
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
      inFlight = idsOf(batch);
      const ids = inFlight;
      let result: Awaited<ReturnType<Transport['send']>> = { status: 0 };
      try {
        result = await transport.send(url, body(batch));
      } catch {
        // A network error: status 0, retried.
      }
      inFlight = new Set();
      if (isRetryable(result.status)) {
        backingOff = true;
        schedule(retryDelay(attempt++, options.maxRetryDelay, result.retryAfter));
        return;
      }
      queue.remove(ids);
      attempt = 0;
      backingOff = false;
    }
  }

  /** Sends everything waiting now (also during a backoff: the caller asked). */
  function flush(): Promise<void> {
    if (!backingOff) cancel();
    sending ??= sendAll().finally(() => {
      sending = undefined;
    });
    return sending;
  }

  // Arrow functions: the client hands them out detached.
  return {
    flush,
    /** Stops the timers (Node shutdown); events stay queued. */
    stop: (): void => {
      cancel();
      backingOff = true;
    },
    /** After an event was queued: send now, or soon, but never during a backoff. */
    queued(): void {
      if (backingOff) return;
      if (queue.read().length >= options.flushAt) void flush();
      else if (!timer) schedule(options.flushInterval);
    },
    /** The page is going away: hand what waits to sendBeacon, which outlives the page. */
    beacon: (): void => {
      for (
        let batch = nextBatch();
        batch.length && transport.beacon?.(url, body(batch));
        batch = nextBatch()
      )
        queue.remove(idsOf(batch));
    },
  };
}
