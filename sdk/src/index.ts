/**
 * The browser SDK for bundlers: `import { init } from '@waymark/sdk'`.
 * The `<script>` tag build is ./browser/script.ts; Node apps use '@waymark/sdk/node'.
 */

import { browserEnvironment, watchHistory, watchLifecycle } from './browser/environment.js';
import { browserStore } from './browser/storage.js';
import { browserTransport } from './browser/transport.js';
import { createClient, type WaymarkClient } from './core/client.js';
import type { WaymarkConfig } from './core/config.js';

export type * from '@waymark/contract/wire';
export { CHANNELS, EVENT_TYPES } from '@waymark/contract/wire';
export type { EventOptions, WaymarkClient } from './core/client.js';
export type { WaymarkConfig } from './core/config.js';
export type { JourneyEvent, JourneyEvents, Properties } from './core/journey.js';

/** Starts the SDK in this page: page view now and on SPA navigation, beacon on page hide. */
export function init(config: WaymarkConfig): WaymarkClient {
  const client = createClient(config, {
    store: browserStore(config.cookieDomain),
    transport: browserTransport,
    env: browserEnvironment(),
  });
  // Deferred a tick: calls made right after init (an opt-out replayed from the stub) apply first.
  setTimeout(() => {
    if (config.autoPage !== false) {
      const onNavigate = () => location.href !== client.pageUrl() && client.page();
      onNavigate();
      watchHistory(onNavigate);
    }
    // Also sends what a previous page load left in the persistent queue.
    void client.flush();
  }, 0);
  watchLifecycle(client.flushBeacon, client.flush);
  return client;
}
