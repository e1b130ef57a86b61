/**
 * Where sessions come from: landing pages and referrers as real traffic brings them, each filed
 * under the channel the shared classifier gives it (landings.test.ts checks every one against
 * `classifyChannel`, and that no two non-direct landings share an attribution key, so a switch
 * of landing within 30 minutes is always a new session and a repeat of one never is).
 */
import type { Channel } from './model.js';

export const SITE = 'https://www.trailhead.example';

export interface Landing {
  /** Stable name, for tests and messages. */
  id: string;
  channel: Channel;
  /** The landing URL, with its query string. */
  url: string;
  /** `document.referrer` at landing, '' for none. */
  referrer: string;
  /**
   * Segment's `context.campaign` where it does not come from the URL's utm_* (a server that
   * remembered the campaign); analytics.js-style calls derive it from the URL otherwise.
   */
  campaign?: Campaign;
}

/** Segment's `context.campaign` (utm_campaign is `name`); the set's campaigns all name three. */
export type Campaign = { name: string; source: string; medium: string; [part: string]: string };

const at = (path: string) => `${SITE}${path}`;

export const LANDINGS: readonly Landing[] = [
  { id: 'direct-home', channel: 'direct', url: at('/'), referrer: '' },
  { id: 'direct-product', channel: 'direct', url: at('/products/trail-tent'), referrer: '' },
  // A restored tab: the referrer is our own site, or a subdomain of it (internal, so direct).
  { id: 'direct-internal', channel: 'direct', url: at('/sale'), referrer: at('/') },
  {
    id: 'direct-blog',
    channel: 'direct',
    url: at('/guides/layering'),
    referrer: 'https://blog.trailhead.example/winter-camping',
  },
  { id: 'organic-google', channel: 'organic', url: at('/'), referrer: 'https://www.google.com/' },
  {
    id: 'organic-yahoo',
    channel: 'organic',
    url: at('/products/down-jacket'),
    referrer: 'https://search.yahoo.com/',
  },
  { id: 'organic-bing', channel: 'organic', url: at('/'), referrer: 'https://www.bing.com/' },
  {
    id: 'organic-ddg',
    channel: 'organic',
    url: at('/guides/layering'),
    referrer: 'https://duckduckgo.com/',
  },
  {
    id: 'paid-google-cpc',
    channel: 'paid',
    url: at('/?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=trail+tent'),
    referrer: 'https://www.google.com/',
  },
  {
    id: 'paid-gclid',
    channel: 'paid',
    url: at('/products/trail-tent?gclid=Cj0KCQiA-tr41'),
    referrer: 'https://www.google.com/',
  },
  {
    id: 'paid-bing-msclkid',
    channel: 'paid',
    url: at('/sale?msclkid=9f2c1e77b'),
    referrer: 'https://www.bing.com/',
  },
  {
    id: 'paid-social-retarget',
    channel: 'paid',
    url: at('/sale?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget'),
    referrer: 'https://l.facebook.com/',
  },
  { id: 'social-tco', channel: 'social', url: at('/'), referrer: 'https://t.co/Xk2pQ9' },
  {
    id: 'social-fbclid',
    channel: 'social',
    url: at('/products/down-jacket?fbclid=IwAR3xYz'),
    referrer: 'https://l.facebook.com/',
  },
  {
    id: 'social-linkedin',
    channel: 'social',
    url: at('/guides/layering'),
    referrer: 'https://www.linkedin.com/',
  },
  {
    id: 'social-instagram-utm',
    channel: 'social',
    url: at('/?utm_source=instagram&utm_medium=social&utm_campaign=nov_launch'),
    referrer: '',
  },
  {
    id: 'email-newsletter',
    channel: 'email',
    url: at(
      '/sale?utm_source=newsletter&utm_medium=email&utm_campaign=black_friday&utm_content=hero',
    ),
    referrer: '',
  },
  {
    id: 'email-gmail',
    channel: 'email',
    url: at('/products/trail-tent'),
    referrer: 'https://mail.google.com/',
  },
  {
    id: 'email-crm-campaign',
    channel: 'email',
    url: at('/account/orders'),
    referrer: '',
    campaign: { source: 'crm', medium: 'email', name: 'winback' },
  },
  {
    id: 'referral-news',
    channel: 'referral',
    url: at('/products/trail-tent'),
    referrer: 'https://news.example.org/gear-of-the-year',
  },
  {
    id: 'referral-blog',
    channel: 'referral',
    url: at('/'),
    referrer: 'https://blog.outdoors.example/best-tents',
  },
  {
    id: 'referral-partner-utm',
    channel: 'referral',
    url: at('/sale?utm_source=partner_site&utm_medium=referral&utm_campaign=co_op'),
    referrer: 'https://partner.example.net/',
  },
  {
    id: 'display-network',
    channel: 'display',
    url: at('/sale?utm_source=adnetwork&utm_medium=display&utm_campaign=retarget'),
    referrer: '',
  },
  {
    id: 'display-banner',
    channel: 'display',
    url: at('/?utm_source=dsp&utm_medium=banner&utm_campaign=winter'),
    referrer: 'https://news.example.org/',
  },
  {
    id: 'display-dclid',
    channel: 'display',
    url: at('/products/down-jacket?dclid=CNzt4a'),
    referrer: '',
  },
];

export const LANDINGS_BY_CHANNEL: Readonly<Record<Channel, readonly Landing[]>> = (() => {
  const out = {} as Record<Channel, Landing[]>;
  for (const l of LANDINGS) {
    out[l.channel] ??= [];
    out[l.channel].push(l);
  }
  return out;
})();

/** `context.campaign` as analytics.js sets it: from the URL's utm_* parameters, if any. */
export function campaignOf(landing: Landing): Campaign | undefined {
  if (landing.campaign) return landing.campaign;
  const params = new URLSearchParams(landing.url.split('?')[1] ?? '');
  const parts = ['source', 'medium', 'campaign', 'term', 'content'].flatMap((part) => {
    const value = params.get(`utm_${part}`);
    return value ? [[part === 'campaign' ? 'name' : part, value] as const] : [];
  });
  if (parts.length === 0) return undefined;
  const campaign = Object.fromEntries(parts);
  if (!campaign.name || !campaign.source || !campaign.medium) {
    throw new Error(
      `${landing.id}: a tagged landing names utm_source, utm_medium and utm_campaign`,
    );
  }
  return campaign as Campaign;
}
