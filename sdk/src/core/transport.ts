/** How a batch travels: fetch (keepalive) and sendBeacon in the browser, fetch in Node, fakes in tests. */
export interface Transport {
  /** Resolves with the HTTP status; rejects on a network error. */
  send(url: string, body: string): Promise<{ status: number; retryAfter?: string | null }>;
  /** Fire-and-forget for a page that is going away; falsy when the browser refused it. */
  beacon?(url: string, body: string): boolean | undefined;
}

/** Network errors (status 0 here), 408, 429 and 5xx are worth retrying; other 4xx never are. */
export const isRetryable = (status: number): boolean =>
  status === 0 || status === 408 || status === 429 || status >= 500;

/**
 * Exponential backoff with jitter (half fixed, half random, so that clients that failed
 * together do not retry together), at least what the server asked for in `Retry-After`
 * (seconds or an HTTP date).
 */
export function retryDelay(
  attempt: number,
  maxMs: number,
  retryAfter?: string | null,
  random = Math.random(),
  now = Date.now(),
): number {
  const base = Math.min(maxMs, 1000 * 2 ** attempt);
  const jittered = base / 2 + (random * base) / 2;
  if (!retryAfter) return jittered;
  const asked = /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
  return Math.max(jittered, asked || 0);
}

/** The keepalive / sendBeacon limit is 64 KiB for all in-flight bodies; stay under it per request. */
export const MAX_BODY_BYTES = 60_000;
