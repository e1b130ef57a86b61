export interface RetryPolicy {
  minMs: number;
  maxMs: number;
}

/** Exponential backoff with jitter: minMs, 2·minMs, 4·minMs … capped at maxMs (±25 %). */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const base = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** Errors for which retrying cannot help are thrown at once. */
  isRetryable: (err: unknown) => boolean;
  onRetry: (err: unknown, attempt: number, delayMs: number) => void;
  /** Aborting stops waiting and rethrows the last error (used by shutdown's deadline). */
  signal: AbortSignal;
}

/** Waits ms, or rejects as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation` until it succeeds, backing off between attempts — for as long as it takes:
 * an outage of ClickHouse or Kafka must hold loading back, never skip data.
 */
export async function retryUntilDone<T>(
  operation: () => Promise<T>,
  { policy, isRetryable, onRetry, signal }: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!isRetryable(err) || signal.aborted) throw err;
      const delay = backoffMs(policy, attempt);
      onRetry(err, attempt + 1, delay);
      try {
        await sleep(delay, signal);
      } catch {
        throw err;
      }
    }
  }
}
