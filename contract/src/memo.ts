// Private to this package, for record.ts. The same helper as processor/src/memo.ts until the
// kit package (@waymark/kit) holds the one copy: then import it from there and delete this file.

/**
 * A bounded memo for pure functions of strings that repeat in real traffic (user agents,
 * referrers, timestamps of the same second). Cleared whole when full: simpler and cheaper
 * than LRU, and a hostile stream of unique keys costs only the cache misses.
 */
export function memoize<R>(fn: (key: string) => R, limit: number): (key: string) => R {
  const cache = new Map<string, R>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}
