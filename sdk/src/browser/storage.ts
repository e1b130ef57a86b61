import { KEYS, memoryStore, type Store } from '../core/store.js';

function cookieStore(domain?: string): Store {
  return {
    get: (key) => {
      const match = document.cookie.match(new RegExp(`(?:^|; )${key}=([^;]*)`));
      return match ? decodeURIComponent(match[1]!) : null;
    },
    // A year, in seconds; a removal is an empty cookie that expires now.
    set: (key, value) => {
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Safari and Firefox.
      document.cookie = `${key}=${encodeURIComponent(value ?? '')};path=/;max-age=${value === undefined ? 0 : 31_536_000};SameSite=Lax${domain ? `;domain=${domain}` : ''}`;
    },
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
          if (value === undefined) storage.removeItem(key);
          else storage.setItem(key, value);
        } catch {
          // Quota exceeded: the queue's byte bound normally prevents it; keep running.
        }
      },
    };
  } catch {}
}

/**
 * localStorage; ids in a cookie instead when `cookieDomain` is set (shared by subdomains) or
 * localStorage is unavailable. The queue never goes to a cookie (too big): memory then.
 */
export function browserStore(cookieDomain?: string): Store {
  const local = localStore();
  const ids = cookieDomain || !local ? cookieStore(cookieDomain) : local;
  const queue = local ?? memoryStore();
  const route = (key: string) => (key === KEYS.queue ? queue : ids);
  return {
    get: (key) => route(key).get(key),
    set: (key, value) => route(key).set(key, value),
  };
}
