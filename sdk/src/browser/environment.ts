import type { Environment } from '../core/environment.js';

/** The page, landing and privacy signals, read from the browser. */
export function browserEnvironment(): Environment {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  return {
    page: () => ({
      url: location.href,
      path: location.pathname,
      search: location.search,
      title: document.title,
    }),
    // The URL the document was loaded with: an SPA may already have replaced it (stripping
    // the UTMs) by the time an async script runs.
    landing: {
      url:
        (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)
          ?.name || location.href,
      referrer: document.referrer,
    },
    userAgent: nav.userAgent,
    locale: nav.language,
    gpc: nav.globalPrivacyControl === true,
    dnt: nav.doNotTrack === '1',
  };
}

/**
 * Calls `onChange` after every SPA navigation: pushState / replaceState (wrapped), popstate,
 * hashchange. Deferred by a tick so that a router can set the new title first; the caller
 * skips URLs it has already seen, which is what keeps a pushState + hashchange pair single.
 */
export function watchHistory(onChange: () => void): void {
  const later = () => setTimeout(onChange, 0);
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      later();
    };
  }
  addEventListener('popstate', later);
  addEventListener('hashchange', later);
}

/** Calls `onHide` when the page may be going away for good (tab closed, app switched). */
export function watchLifecycle(onHide: () => void, onOnline: () => void): void {
  addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') onHide();
  });
  addEventListener('online', onOnline);
}
