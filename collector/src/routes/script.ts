/**
 * Serves the SDK's `<script>` build at `/waymark.js`, so a site loads the tracker from its own
 * collector (first-party, no third-party CDN) and always gets the version the collector speaks.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';

const require = createRequire(import.meta.url);

export const scriptRoute: FastifyPluginAsync = async (app) => {
  let script: Buffer;
  try {
    script = await readFile(require.resolve('@waymark/sdk/waymark.js'));
  } catch {
    // A collector built without the SDK still ingests; it just cannot hand out the tracker.
    app.log.warn('sdk/dist/waymark.js not found (build @waymark/sdk): /waymark.js is not served');
    return;
  }
  const etag = `"${createHash('sha256').update(script).digest('base64url').slice(0, 22)}"`;

  app.get('/waymark.js', async (request, reply) => {
    reply
      .header('etag', etag)
      .header('cache-control', 'public, max-age=3600')
      // Any site may load the script; what it sends is still checked per project.
      .header('access-control-allow-origin', '*');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/javascript; charset=utf-8').send(script);
  });
};
