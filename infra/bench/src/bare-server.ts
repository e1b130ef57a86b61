/**
 * The framework ceiling for the collector benchmark: a bare Fastify route that parses the same
 * JSON body and answers 200, nothing else. Run as its own process (like the collector) so both
 * get the same CPU share: `node --import tsx infra/bench/src/bare-server.ts <port>`.
 */
import Fastify from 'fastify';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: bare-server.ts <port>');
  process.exit(2);
}
// Bodies here are at most ~70 kB (100 events); 1 MiB keeps the limit out of the way.
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/v1/batch', async (request) => {
  const body = request.body as { batch?: unknown[] };
  return { success: true, events: Array.isArray(body.batch) ? body.batch.length : 0 };
});
app.get('/ready', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port });
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
