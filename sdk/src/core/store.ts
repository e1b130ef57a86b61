/**
 * Key/value storage handed to the core: localStorage and cookies in the browser, memory in
 * Node, in cookieless mode and in tests. Values are strings; the core stores JSON.
 */
export interface Store {
  get(key: string): string | null;
  /** Without a value: removes the key. (Two methods instead of three: every adapter is smaller.) */
  set(key: string, value?: string): void;
}

export function memoryStore(): Store {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => {
      if (value === undefined) values.delete(key);
      else values.set(key, value);
    },
  };
}

/** Reads JSON written by `writeJson`; anything unreadable (another tab mid-write, a user edit) is absent. */
export function readJson<T>(store: Store, key: string): T | undefined {
  try {
    return JSON.parse(store.get(key) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

export const writeJson = (store: Store, key: string, value: unknown): void =>
  store.set(key, JSON.stringify(value));

/** The storage keys, in one place so that adapters can route them (the queue never goes to a cookie). */
export const KEYS = {
  anonymousId: 'wm_aid',
  userId: 'wm_uid',
  session: 'wm_session',
  firstTouch: 'wm_first',
  queue: 'wm_queue',
  dropped: 'wm_dropped',
  optOut: 'wm_optout',
} as const;
