/**
 * Bounded memos for pure functions of strings that repeat in real traffic (user agents,
 * referrers, timestamps of the same second, landing URL + referrer pairs). Cleared whole when
 * full: simpler and cheaper than LRU, and a hostile stream of unique keys costs only the cache
 * misses. Keys longer than `maxKeyChars` are computed every time instead of kept, so very long
 * hostile keys cannot grow memory either.
 */

/** `fn` remembered for up to `limit` keys. */
export function memoize<R>(
  fn: (key: string) => R,
  limit: number,
  maxKeyChars = Number.POSITIVE_INFINITY,
): (key: string) => R {
  const cache = new Map<string, R>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (key.length > maxKeyChars) return value;
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}

export interface Memo2<R> {
  (first: string, second: string): R;
  /** Pairs kept now. */
  readonly size: number;
}

/**
 * `fn` of two strings remembered for up to `limit` pairs, kept as a map of maps: no joined key
 * is built, and no separator can make two different pairs collide.
 */
export function memoize2<R>(
  fn: (first: string, second: string) => R,
  limit: number,
  maxKeyChars = Number.POSITIVE_INFINITY,
): Memo2<R> {
  let byFirst = new Map<string, Map<string, R>>();
  let entries = 0;
  const memo = (first: string, second: string): R => {
    const bySecond = byFirst.get(first);
    const known = bySecond?.get(second);
    if (known !== undefined) return known;
    const value = fn(first, second);
    if (first.length + second.length > maxKeyChars) return value;
    let map = bySecond;
    if (entries >= limit) {
      byFirst = new Map();
      entries = 0;
      map = undefined;
    }
    if (map === undefined) {
      map = new Map();
      byFirst.set(first, map);
    }
    map.set(second, value);
    entries++;
    return value;
  };
  return Object.defineProperty(memo, 'size', { get: () => entries }) as Memo2<R>;
}
