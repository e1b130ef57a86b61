/**
 * Known sources, by the kind of site GA4's default channel group asks about (its "Search
 * sites", "Social sites", "Video sites", "Shopping sites" lists). These are compact: a source
 * matches by its site name (`l.facebook.com` → `facebook`, `www.google.co.uk` → `google`) or
 * its whole registrable host (`t.co`), not by GA4's full lists of several hundred hosts.
 */

import { siteOf } from './url.js';

export type SourceKind = 'search' | 'social' | 'video' | 'shopping';

/**
 * Search sites, the one kind that names a source: a visit from `www.google.co.uk` has the
 * source `google`, from any other site its host.
 */
const SEARCH =
  /^(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|ask|aol|naver|seznam|qwant|startpage|sogou|daum|brave)$/;

/** The other kinds: only the channel rules ask about them. */
const KNOWN: Record<Exclude<SourceKind, 'search'>, string> = {
  social:
    'facebook fb fb.me instagram ig linkedin lnkd.in twitter t.co x tiktok pinterest reddit snapchat tumblr quora vk weibo threads bsky mastodon whatsapp telegram discord messenger',
  video: 'youtube youtu.be vimeo twitch dailymotion',
  shopping: 'amazon ebay etsy shopify walmart aliexpress',
};

// A pure call, so that a bundle that never asks for a kind (the SDK's) leaves the lists out.
const KIND_OF: Record<string, SourceKind> = /* @__PURE__ */ (() => {
  const table: Record<string, SourceKind> = Object.create(null);
  for (const [kind, names] of Object.entries(KNOWN) as [SourceKind, string][]) {
    for (const name of names.split(' ')) table[name] = kind;
  }
  return table;
})();

/** The site name of a source: `fb.me` for `fb.me`, else the first label of its site (`facebook`). */
function siteName(source: string): string {
  const site = siteOf(source);
  return KIND_OF[site] ? site : site.split('.')[0]!;
}

/** Web mail and mail apps as referrers: mail.google.com, outlook.live.com, the Gmail app. */
export const isMailHost = (host: string): boolean => /(^|\.)((web)?mail|outlook|gm)\./.test(host);

/**
 * The search site a (lower-case) source or host belongs to (`www.google.co.uk` → `google`),
 * or ''. A mail host of a search company (mail.google.com) is mail, not search.
 */
export function searchSite(source: string): string {
  const name = siteOf(source).split('.')[0]!;
  return !isMailHost(source) && SEARCH.test(name) ? name : '';
}

/**
 * What kind of site a (lower-case) source or host is, if it is a known one. A mail host of a
 * search company (mail.google.com) is mail, not search.
 */
export function sourceKind(source: string): SourceKind | undefined {
  if (searchSite(source)) return 'search';
  return source && !isMailHost(source) ? KIND_OF[siteName(source)] : undefined;
}
