/**
 * Known sources, by the kind of site GA4's default channel group asks about (its "Search
 * sites", "Social sites", "Video sites", "Shopping sites" lists). These are compact: a source
 * matches by its site name (`l.facebook.com` → `facebook`, `www.google.co.uk` → `google`) or
 * its whole registrable host (`t.co`), not by GA4's full lists of several hundred hosts.
 */

import { siteOf } from './url.js';

export type SourceKind = 'search' | 'social' | 'video' | 'shopping';

const KNOWN: Record<SourceKind, string> = {
  search:
    'google bing yahoo duckduckgo baidu yandex ecosia ask aol naver seznam qwant startpage sogou daum brave',
  social:
    'facebook fb fb.me instagram ig linkedin lnkd.in twitter t.co x tiktok pinterest reddit snapchat tumblr quora vk weibo threads bsky mastodon whatsapp telegram discord messenger',
  video: 'youtube youtu.be vimeo twitch dailymotion',
  shopping: 'amazon ebay etsy shopify walmart aliexpress',
};

const KIND_OF: Record<string, SourceKind> = Object.create(null);
for (const [kind, names] of Object.entries(KNOWN) as [SourceKind, string][]) {
  for (const name of names.split(' ')) KIND_OF[name] = kind;
}

/** The site name of a source: `google` for `www.google.co.uk`, the source itself without dots. */
export function siteName(source: string): string {
  const site = siteOf(source);
  return KIND_OF[site] ? site : site.split('.')[0]!;
}

/** Web mail and mail apps as referrers: mail.google.com, outlook.live.com, the Gmail app. */
export const isMailHost = (host: string): boolean => /(^|\.)((web)?mail|outlook|gm)\./.test(host);

/**
 * What kind of site a (lower-case) source or host is, if it is a known one. A mail host of a
 * search company (mail.google.com) is mail, not search.
 */
export function sourceKind(source: string): SourceKind | undefined {
  return source && !isMailHost(source) ? KIND_OF[siteName(source)] : undefined;
}
