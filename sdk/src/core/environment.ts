import type { WirePage } from '@waymark/contract/wire';
import type { Landing } from './session.js';

/**
 * What the core asks of its host: the page, the landing and the privacy signals. The browser
 * adapter reads them from `location`, `document` and `navigator`; Node has none.
 */
export interface Environment {
  /** The current page (url, path, search, title); its referrer is the core's business. */
  page(): WirePage;
  /** The URL and `document.referrer` of this page load. */
  landing: Landing;
  userAgent?: string;
  locale?: string;
  /** Global Privacy Control (`navigator.globalPrivacyControl`). */
  gpc?: boolean;
  /** Do-Not-Track (`navigator.doNotTrack === '1'`). */
  dnt?: boolean;
}
