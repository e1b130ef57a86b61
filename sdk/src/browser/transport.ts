import { MAX_BODY_BYTES, type Transport } from '../core/transport.js';

/**
 * fetch with keepalive (the request outlives a navigation) and sendBeacon for a closing page.
 * `text/plain` bodies are a CORS "simple request": no preflight round trip.
 */
export const browserTransport: Transport = {
  async send(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain' },
      keepalive: body.length < MAX_BODY_BYTES,
      credentials: 'omit',
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  },
  // Optional call: undefined (a refusal) where the browser has no sendBeacon.
  beacon: (url, body) => navigator.sendBeacon?.(url, new Blob([body], { type: 'text/plain' })),
};
