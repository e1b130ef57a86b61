/** Settings shared by the browser and Node clients. Only `writeKey` and `host` are required. */
export interface WaymarkConfig {
  writeKey: string;
  /** The collector's base URL, e.g. https://collect.example.com (events go to /v1/batch). */
  host: string;
  /** Send as soon as this many events wait (default 20). */
  flushAt?: number;
  /** Send at most this many ms after an event (default 1000). */
  flushInterval?: number;
  /** Minutes of inactivity that end a session (default 30). */
  sessionTimeout?: number;
  /** Bounds of the persistent queue (defaults 1000 events, 500 000 bytes). */
  maxQueueEvents?: number;
  maxQueueBytes?: number;
  /** Longest wait between retries, ms (default 60 000). */
  maxRetryDelay?: number;
  /** No persistent identifiers: ids, session and queue live in memory for this page only. */
  cookieless?: boolean;
  /** Send nothing when the browser sends Global Privacy Control (default true). */
  honorGpc?: boolean;
  /** Send nothing when the browser sends Do-Not-Track (default false). */
  honorDnt?: boolean;
  /** Page views on load and on SPA navigation (browser, default true). */
  autoPage?: boolean;
  /** Keep ids in a cookie on this domain (e.g. example.com) to share them across subdomains. */
  cookieDomain?: string;
}

/** The defaults that are not the absent value (false); autoPage is the browser entry's business. */
export const DEFAULTS = {
  flushAt: 20,
  flushInterval: 1000,
  sessionTimeout: 30,
  maxQueueEvents: 1000,
  maxQueueBytes: 500_000,
  maxRetryDelay: 60_000,
  honorGpc: true,
} satisfies Partial<WaymarkConfig>;
