import type { WireCampaign } from '../wire.js';

/**
 * Lenient URL reading for the classifier. Landing URLs and referrers come from the wild
 * (truncated, double-encoded, app schemes), so nothing here throws: what cannot be read is ''.
 * Plain string work instead of `URL` keeps the same behaviour in every runtime and the bundle small.
 */

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/**
 * Query parameters of a URL, keys lower-cased (UTM parameters arrive in any case), values
 * decoded and trimmed, first occurrence wins. Parameters after `#` count too: hash-routed
 * single-page apps carry their UTMs there.
 */
export function queryParams(url: string): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  // Without what comes before the first ? or # (all of a URL without them), the rest starts with
  // its separator: the first piece is '' and skipped like any piece without a key.
  for (const pair of url.replace(/^[^?#]*/, '').split(/[?&#]/)) {
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const key = decode(pair.slice(0, eq)).trim().toLowerCase();
    params[key] ??= decode(pair.slice(eq + 1)).trim();
  }
  return params;
}

/**
 * Segment's `context.campaign` from query parameters: the UTM fields with a value, in Segment's
 * names (`utm_campaign` is `name`) and in this order. The SDK sends it; the classifier reads it.
 */
export function utmCampaign(params: Record<string, string>): WireCampaign {
  const campaign: WireCampaign = {};
  for (const field of ['source', 'medium', 'name', 'term', 'content'] as const) {
    const value = params[`utm_${field === 'name' ? 'campaign' : field}`];
    if (value) campaign[field] = value;
  }
  return campaign;
}

/**
 * The lower-case host of an absolute URL, or ''. An Android app referrer
 * (`android-app://com.google.android.gm`) names a package, reversed into a host
 * (`gm.android.google.com`) so that it classifies like the app's web site.
 */
export function hostOf(url: string): string {
  const match = /^([a-z][a-z\d+.-]*):\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url.trim());
  if (!match) return '';
  const host = match[2]!.toLowerCase().replace(/\.$/, '');
  return match[1]!.toLowerCase() === 'android-app' ? host.split('.').reverse().join('.') : host;
}

/**
 * The last three labels when the last is a two-letter country and the one before it a
 * second level under which countries register names (example.co.uk, example.com.au), else the
 * last two. One regular expression is smaller in the SDK's bundle than splitting into labels;
 * the earliest match starts at a label (or at a leading dot), and the three-label form, tried
 * first, can only match one label earlier than the two-label form.
 */
const REGISTRABLE = /[^.]*\.(?:(?:co|com|net|org|gov|edu|ac|or|ne|go|gob|ltd|plc)\.[^.]{2}|[^.]*)$/;

/**
 * The registrable part of a host (`www.google.co.uk` → `google.co.uk`), by a heuristic
 * instead of the 200 KB Public Suffix List: two labels, three under a country second level.
 * Hosts on shared platforms (a.github.io, b.github.io) therefore count as one site. IP
 * addresses and hosts of one label stay whole.
 */
export const siteOf = (host: string): string =>
  (!/^[\d.]+$|^\[/.test(host) && REGISTRABLE.exec(host)?.[0]) || host;

/** Whether a (non-empty) referrer host is on the page's own site: same registrable host. */
export const isInternalHost = (pageUrl: string, referrerHost: string): boolean =>
  siteOf(referrerHost) === siteOf(hostOf(pageUrl));

/**
 * Whether a referrer is the page's own site (same registrable host, any subdomain). An
 * internal referrer never starts a new session and never counts as a referral.
 */
export function isInternalReferrer(pageUrl: string, referrer: string): boolean {
  const referrerHost = hostOf(referrer);
  return referrerHost !== '' && isInternalHost(pageUrl, referrerHost);
}
