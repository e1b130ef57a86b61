/**
 * The server-side entry for Node apps (`import { createNodeClient } from '@waymark/sdk/node'`):
 * the same core, batching and retry, with an in-memory queue, no page and no session (a server
 * speaks for many people: pass `userId` or `anonymousId` with each call). Call `close()` on
 * shutdown so that what waits is sent.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type WaymarkClient } from './core/client.js';
import { DEFAULTS, type WaymarkConfig } from './core/config.js';
import { memoryStore } from './core/store.js';
import { retryDelay, type Transport } from './core/transport.js';

export type { EventOptions, WaymarkClient } from './core/client.js';
export type { WaymarkConfig } from './core/config.js';
export type { JourneyEvent, JourneyEvents, Properties } from './core/journey.js';
export type { Transport } from './core/transport.js';

export type NodeConfig = Omit<
  WaymarkConfig,
  'autoPage' | 'cookieDomain' | 'cookieless' | 'honorDnt' | 'honorGpc'
>;

export interface NodeClient extends WaymarkClient {
  /**
   * Graceful shutdown: sends what waits, retrying with backoff until the queue is empty or
   * `timeoutMs` passed, then stops the timers. Resolves with the number of events not sent.
   */
  close(timeoutMs?: number): Promise<number>;
}

const nodeTransport: Transport = {
  async send(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  },
};

export function createNodeClient(
  config: NodeConfig,
  transport: Transport = nodeTransport,
): NodeClient {
  const client = createClient(config, { store: memoryStore(), transport });
  const maxDelay = config.maxRetryDelay ?? DEFAULTS.maxRetryDelay;
  return {
    ...client,
    async close(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (let attempt = 0; client.pending() && Date.now() < deadline; attempt++) {
        await client.flush();
        if (!client.pending()) break;
        await sleep(Math.min(retryDelay(attempt, maxDelay), Math.max(0, deadline - Date.now())));
      }
      client.stop();
      return client.pending();
    },
  };
}
