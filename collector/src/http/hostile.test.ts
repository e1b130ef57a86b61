/**
 * Slow and oversized clients against the real app on loopback, over real sockets (inject() reads
 * no socket, so it cannot show what a client that trickles its body holds on to). Each test is
 * bounded in time: its clients stop when it ends.
 */
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { basic, type RecordingSink, recordingSink, testConfig } from '../test/recording-sink.js';

let app: FastifyInstance;
let sink: RecordingSink;
let port: number;
const sockets: Socket[] = [];

async function start(env: Record<string, string>): Promise<void> {
  sink = recordingSink();
  app = buildApp(testConfig(env), { sink });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
});

/** A client that sends the headers of a keyless POST with a 1000-byte body, then one byte. */
function trickler(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /v1/batch HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{',
      );
      resolve(socket);
    });
    socket.on('error', () => {});
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/** Everything the server sends on this socket until it closes it (or `ms` pass). */
function answerOf(socket: Socket, ms: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve({ text, closed: false }), ms);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

const valid = () =>
  fetch(`http://127.0.0.1:${port}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic('wk_shop_test_key') },
    body: JSON.stringify({ batch: [{ type: 'track', event: 'signup', anonymousId: 'a1' }] }),
  });

describe('clients that hold connections', () => {
  it('keeps the in-flight budget for authenticated requests whose body has arrived', async () => {
    await start({ COLLECTOR_MAX_IN_FLIGHT: '4', COLLECTOR_MAX_CONNECTIONS_PER_IP: '0' });
    await Promise.all(Array.from({ length: 8 }, trickler));
    // Let the server see all eight requests' headers.
    await new Promise((r) => setTimeout(r, 200));
    const response = await valid();
    expect(response.status).toBe(200);
    expect(sink.events).toHaveLength(1);
  });

  it('refuses connections beyond the per-IP cap at once, with a coded answer', async () => {
    await start({ COLLECTOR_MAX_CONNECTIONS_PER_IP: '3' });
    await Promise.all(Array.from({ length: 3 }, trickler));
    const fourth = connect(port, '127.0.0.1');
    fourth.on('error', () => {});
    sockets.push(fourth);
    const { text, closed } = await answerOf(fourth, 2000);
    expect(closed).toBe(true);
    expect(text).toMatch(/^HTTP\/1\.1 429 /);
    expect(text).toContain('"code":"WAYMARK_ERR_TOO_MANY_CONNECTIONS"');
    // Once one of the three goes, a new connection is served again.
    sockets[0]?.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await valid()).status).toBe(200);
  });

  it('answers 408 and closes the socket when the body does not arrive within the deadline', async () => {
    await start({ COLLECTOR_BODY_TIMEOUT_MS: '1000' });
    const started = Date.now();
    const socket = await trickler();
    // Keep trickling: an idle timeout would not fire, the deadline must.
    const drip = setInterval(() => socket.writable && socket.write(' '), 200);
    try {
      const { text, closed } = await answerOf(socket, 5000);
      expect(closed).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(text).toContain('"code":"WAYMARK_ERR_BODY_TIMEOUT"');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      clearInterval(drip);
    }
  });
});

describe('compressed bodies', () => {
  it('refuses a body whose encoded bytes exceed the limit, though it inflates to little', async () => {
    await start({});
    const event = gzipSync(JSON.stringify({ type: 'track', event: 'x', anonymousId: 'a1' }));
    const empty = gzipSync(Buffer.alloc(0));
    // One valid member, then 2 MB of empty members: 20-byte members that inflate to nothing.
    const body = Buffer.concat([event, ...Array.from({ length: 100_000 }, () => empty)]);
    // Chunked, so that no Content-Length announces the size.
    const response = await fetch(`http://127.0.0.1:${port}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: basic('wk_shop_test_key'),
      },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < body.length; at += 64 * 1024) {
            controller.enqueue(body.subarray(at, at + 64 * 1024));
          }
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'WAYMARK_ERR_BODY_TOO_LARGE' });
    expect(sink.events).toHaveLength(0);
  });
});
