/**
 * A stand-in collector and page server for the browser tests, on loopback: it records every
 * batch with the request's fetch mode (beacons arrive as `no-cors`), and serves the built
 * <script> file and a small single-page app. Pages are served from `localhost`, the collector
 * from `127.0.0.1`, so every batch is a real cross-origin request.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { WireBatch, WireEvent } from '@waymark/contract/wire';

const SCRIPT = fileURLToPath(new URL('../dist/waymark.js', import.meta.url));

export interface Received {
  batch: WireBatch;
  mode: string;
}

/** The SPA fixture: the stub snippet, calls made before load, the async script tag. */
function appHtml(port: number, attributes: string, title: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script>
  window.waymark = window.waymark || [];
  ['track', 'page', 'identify', 'alias', 'group', 'reset', 'optOut', 'optIn', 'flush', 'init'].forEach(function (m) {
    waymark[m] = function () { waymark.push([m].concat([].slice.call(arguments))); };
  });
  if (location.search.indexOf('optout') >= 0) waymark.optOut();
  // An SPA that cleans its URL before the async script has loaded.
  if (location.search.indexOf('strip') >= 0) history.replaceState({}, '', location.pathname);
  waymark.track('before_load', { early: true });
</script>
<script async src="/waymark.js" data-write-key="wk_e2e" data-host="http://127.0.0.1:${port}" ${attributes}></script>
${attributes.includes('data-twice') ? `<script async src="/waymark.js?again" data-write-key="wk_e2e" data-host="http://127.0.0.1:${port}" ${attributes}></script>` : ''}
</head><body>
<form><input id="email" name="email" value="secret@example.com"></form>
<script>
  // A tiny router: sets the title on navigation, including back and forward.
  var titles = {};
  function go(path, title) { history.pushState({}, '', path); document.title = titles[path] = title; }
  addEventListener('popstate', function () { document.title = titles[location.pathname] || document.title; });
  titles[location.pathname] = document.title;
</script>
</body></html>`;
}

export async function startCollectorStub() {
  if (!existsSync(SCRIPT))
    throw new Error(`${SCRIPT} is missing: run \`npm run build -w @waymark/sdk\``);
  const received: Received[] = [];
  let preflights = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const cors = { 'access-control-allow-origin': request.headers.origin ?? '*' };
    if (request.method === 'OPTIONS') {
      preflights++;
      response.writeHead(204, { ...cors, 'access-control-allow-headers': '*' }).end();
      return;
    }
    if (url.pathname === '/v1/batch' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ batch: JSON.parse(body), mode: String(request.headers['sec-fetch-mode']) });
        response
          .writeHead(200, { ...cors, 'content-type': 'application/json' })
          .end('{"success":true}');
      });
      return;
    }
    if (url.pathname === '/waymark.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(SCRIPT));
      return;
    }
    // /app/… batches within 200 ms; /slow/… waits a minute, so only a beacon can deliver;
    // /shared/… keeps ids in a cookie for every subdomain of waymark.test.
    const slow = url.pathname.startsWith('/slow/');
    const shared = url.pathname.startsWith('/shared/');
    if (url.pathname.startsWith('/app/') || slow || shared) {
      const attributes = `data-flush-interval="${slow ? 60000 : 200}" data-max-retry-delay="1500"${
        shared ? ' data-cookie-domain="waymark.test"' : ''
      }${url.searchParams.has('twice') ? ' data-twice' : ''}`;
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(appHtml(port, attributes, slow ? 'Slow' : 'Home'));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Pages: a different origin than the collector. */
    pageOrigin: `http://localhost:${port}`,
    collectorOrigin: `http://127.0.0.1:${port}`,
    received,
    events: (): WireEvent[] => received.flatMap((r) => r.batch.batch),
    preflights: () => preflights,
    reset: () => {
      received.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type CollectorStub = Awaited<ReturnType<typeof startCollectorStub>>;
