/**
 * A loopback front for the collector that answers the first `failures` POSTs itself with 503
 * (a deploy, an overloaded replica: what makes a library retry) and passes everything else —
 * CORS preflights included — to the collector unchanged.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyFront {
  url: string;
  /** POSTs answered 503 so far. */
  refused: () => number;
  /** Requests passed on: method, path, and the preflight's requested headers. */
  passed: { method: string; path: string; requestHeaders: string }[];
  close: () => Promise<void>;
}

export async function startFlakyFront(target: string, failures: number): Promise<FlakyFront> {
  const to = new URL(target);
  let refused = 0;
  const passed: FlakyFront['passed'] = [];
  const server = createServer((req, res) => {
    if (req.method === 'POST' && refused < failures) {
      refused += 1;
      req.resume();
      res.writeHead(503, {
        'access-control-allow-origin': req.headers.origin ?? '*',
        'content-type': 'application/json',
      });
      res.end('{"statusCode":503,"error":"Service Unavailable","code":"FLAKY","message":"retry"}');
      return;
    }
    passed.push({
      method: req.method ?? '',
      path: req.url ?? '',
      requestHeaders: String(req.headers['access-control-request-headers'] ?? ''),
    });
    const upstream = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused: () => refused,
    passed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
