/**
 * The shop's pages, served on loopback: every path answers the same HTML page (the journey's
 * steps differ only by URL), plus the library script bundled from npm.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  origin: string;
  close: () => Promise<void>;
}

export async function startPageServer(opts: {
  /** Path → JavaScript served at that path (the bundled library). */
  scripts: Record<string, string>;
  /** The page's HTML for any other URL (a function: it may name a collector started later). */
  html: (url: URL) => string;
}): Promise<PageServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page');
    const path = url.pathname;
    const script = opts.scripts[path];
    if (script !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(script);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(opts.html(url));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
