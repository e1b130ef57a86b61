import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireBatch } from '@waymark/contract/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeClient } from './node.js';

/** A stand-in collector on loopback that answers from a script of statuses. */
async function collector(statuses: number[]) {
  const batches: WireBatch[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      batches.push(JSON.parse(body));
      response.writeHead(statuses.shift() ?? 200, { 'retry-after': '0' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { host: `http://127.0.0.1:${port}`, batches, close: () => server.close() };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('Node client', () => {
  it('batches server-side events and delivers them on close, retrying a 503', async () => {
    const server = await collector([503]);
    stop = server.close;
    const client = createNodeClient({
      writeKey: 'wk_node',
      host: server.host,
      flushInterval: 60_000,
    });
    client.track(
      'order_completed',
      { revenue: 42.5, currency: 'EUR', orderId: 'o-1' },
      { userId: 'user-7' },
    );
    client.identify('user-7', { email_verified: true }, { userId: 'user-7' });
    expect(await client.close(5_000)).toBe(0);
    expect(server.batches).toHaveLength(2);
    const [first, second] = server.batches;
    expect(second!.batch.map((e) => e.messageId)).toEqual(first!.batch.map((e) => e.messageId));
    expect(second!.writeKey).toBe('wk_node');
    expect(second!.batch[0]).toMatchObject({
      type: 'track',
      event: 'order_completed',
      userId: 'user-7',
      properties: { revenue: 42.5, currency: 'EUR', orderId: 'o-1' },
      context: { library: { name: 'waymark-js' } },
    });
    expect(second!.batch[0]!.context?.waymark).toBeUndefined();
  });

  it('gives up at the close deadline and says how many events were not sent', async () => {
    const server = await collector(Array(100).fill(500));
    stop = server.close;
    const client = createNodeClient({ writeKey: 'wk_node', host: server.host });
    client.track('x', {}, { anonymousId: 'a-1' });
    expect(await client.close(300)).toBe(1);
  });
});
