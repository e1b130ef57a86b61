/**
 * A cap on open connections per client address, applied when a connection opens, before any
 * byte of a request is read: a client that opens hundreds of connections and trickles into
 * them holds sockets and parsers, whatever the request turns out to be.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { CollectorError } from '../errors.js';

function refusal(max: number): string {
  const err = new CollectorError(
    'WAYMARK_ERR_TOO_MANY_CONNECTIONS',
    `more than ${max} open connections from this address; close some and retry`,
  );
  const body = JSON.stringify(err.body());
  return [
    'HTTP/1.1 429 Too Many Requests',
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'retry-after: 1',
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Answers 429 and closes each connection beyond `max` open ones from the same address. */
export function limitConnectionsPerIp(server: Server, max: number): void {
  const open = new Map<string, number>();
  const answer = refusal(max);
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      // Not counted: it is closed once the answer is written, whatever the client does.
      socket.on('error', () => {});
      socket.end(answer, () => socket.destroy());
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
