import { KEYS, memoryStore, type Store } from '../core/store.js';

const YEAR_SECONDS = 31_536_000;

function cookieStore(domain?: string): Store {
  const write = (key: string, value: string, maxAge: number) => {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Safari and Firefox.
    document.cookie = `${key}=${encodeURIComponent(value)};path=/;max-age=${maxAge};SameSite=Lax${domain ? `;domain=${domain}` : ''}`;
  };
  return {
    get: (key) => {
      const match = document.cookie.match(new RegExp(`(?:^|; )${key}=([^;]*)`));
      return match ? decodeURIComponent(match[1]!) : null;
    },
    set: (key, value) => write(key, value, YEAR_SECONDS),
    remove: (key) => write(key, '', 0),
  };
}

function localStore(): Store | undefined {
  try {
    // Reading the property throws where storage is disabled (sandboxed frames, blocked cookies).
    const storage = localStorage;
    return {
      get: (key) => storage.getItem(key),
      set: (key, value) => {
        try {
          storage.setItem(key, value);
        } catch {
          // Quota exceeded: the queue's byte bound normally prevents it; keep running.
        }
      },
      remove: (key) => storage.removeItem(key),
    };
  } catch {
    return undefined;
  }
}

/**
 * localStorage; ids in a cookie instead when `cookieDomain` is set (shared by subdomains) or
 * localStorage is unavailable. The queue never goes to a cookie (too big): memory then.
 */
export function browserStore(cookieDomain?: string): Store {
  const local = localStore();
  const cookies = cookieStore(cookieDomain);
  const queueStore = local ?? memoryStore();
  const route = (key: string) =>
    key === KEYS.queue ? queueStore : cookieDomain || !local ? cookies : local;
  return {
    get: (key) => route(key).get(key),
    set: (key, value) => route(key).set(key, value),
    remove: (key) => route(key).remove(key),
  };
}
