import { memoize } from '@waymark/kit/memo';

// Referrers repeat (search engines, social sites, the site itself); URL parsing is not cheap.
const hostOfUrl = memoize((url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}, 5000);

/** Host of an absolute URL, lower-case, or '' when it is not one. */
export function hostOf(url: string | null | undefined): string {
  return url ? hostOfUrl(url) : '';
}

/** The page path: as sent, else the path of the page URL, else ''. */
export function pathOf(path: string | null | undefined, url: string | null | undefined): string {
  if (path) return path;
  if (!url) return '';
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
