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
  const start = url.search(/[?#]/);
  if (start < 0) return params;
  for (const pair of url.slice(start + 1).split(/[?&#]/)) {
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const key = decode(pair.slice(0, eq)).trim().toLowerCase();
    params[key] ??= decode(pair.slice(eq + 1)).trim();
  }
  return params;
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

/** Second-level labels under which country domains register names (example.co.uk, example.com.au). */
const COUNTRY_SECOND_LEVELS = /^(co|com|net|org|gov|edu|ac|or|ne|go|gob|ltd|plc)$/;

/**
 * The registrable part of a host (`www.google.co.uk` → `google.co.uk`), by a heuristic
 * instead of the 200 KB Public Suffix List: two labels, three under a country second level.
 * Hosts on shared platforms (a.github.io, b.github.io) therefore count as one site.
 */
export function siteOf(host: string): string {
  const labels = host.split('.');
  const count = labels.length;
  if (count < 3 || /^[\d.]+$|^\[/.test(host)) return host;
  const keep =
    labels[count - 1]!.length === 2 && COUNTRY_SECOND_LEVELS.test(labels[count - 2]!) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/**
 * Whether a referrer is the page's own site (same registrable host, any subdomain). An
 * internal referrer never starts a new session and never counts as a referral.
 */
export function isInternalReferrer(pageUrl: string, referrer: string): boolean {
  const referrerHost = hostOf(referrer);
  return referrerHost !== '' && siteOf(referrerHost) === siteOf(hostOf(pageUrl));
}
