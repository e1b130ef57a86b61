/**
 * A loopback stand-in for a collector that records every request exactly as a library sent it
 * (method, path, headers, raw and decoded body) and answers like the Segment API: 200
 * `{"success":true}`, CORS for any origin. Used to see what a real library sends.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body after undoing Content-Encoding: gzip, as text. */
  text: string;
  /** `text` parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  close: () => Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader(
        'access-control-allow-headers',
        req.headers['access-control-request-headers'] ?? '*',
      );
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        text,
        json,
      });
      res.setHeader('content-type', 'application/json');
      res.end(req.method === 'OPTIONS' ? '' : '{"success":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
