/** `buildApp(config, deps)`: the dashboards service without listening (tests use inject). */
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DashboardsConfig } from './config.js';
import { errorBody, WaymarkHttpError } from './errors.js';
import type { Queries } from './queries/index.js';
import { adminRoutes, type Eraser } from './routes/admin.js';
import { apiRoutes } from './routes/api.js';
import { openApiRoute } from './routes/openapi.js';
import { webRoutes } from './routes/web.js';

export interface AppDeps {
  queries: Queries;
  /** Runs an erasure (the admin API); absent: the admin API answers 404. */
  erase?: Eraser;
  /** Where the built dashboard (index.html, app.js, app.css) lives. */
  webRoot?: string;
  logger?: boolean | { level: string };
  /** Milliseconds since the epoch, for the failed-key windows; injectable for tests. */
  now?: () => number;
}

/** dist/web, whether this module runs from src/ (tests) or dist/ (the built service). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

export async function buildApp(config: DashboardsConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false });

  // On every answer: no content sniffing, no Referer leaving the dashboard (its URL carries the
  // read key in the fragment), and API answers — project data — never kept by a cache.
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof WaymarkHttpError) {
      return reply.code(err.statusCode).headers(err.headers).send(err.toBody());
    }
    const failure = err as { statusCode?: number; message?: string };
    if (failure.statusCode === 400) {
      return reply
        .code(400)
        .send(errorBody('WAYMARK_ERR_INVALID_PARAMETER', failure.message ?? ''));
    }
    request.log.error({ err }, 'request failed');
    // ClickHouse client errors (refused, timed out, rejected query) are the store's.
    const fromStore = /clickhouse|ECONNREFUSED|ECONNRESET|timeout|socket/i.test(
      `${(err as Error).name} ${(err as Error).message} ${(err as { code?: string }).code ?? ''}`,
    );
    if (fromStore) {
      return reply
        .code(503)
        .send(errorBody('WAYMARK_ERR_STORE_UNAVAILABLE', 'the event store did not answer'));
    }
    return reply.code(500).send(errorBody('WAYMARK_ERR_INTERNAL', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody(
          'WAYMARK_ERR_NOT_FOUND',
          `no route ${request.method} ${request.url.split('?')[0]}`,
        ),
      ),
  );

  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(openApiRoute);
  await app.register(apiRoutes, { config, queries: deps.queries, now: deps.now ?? Date.now });
  if (deps.erase) await app.register(adminRoutes, { config, erase: deps.erase });
  await app.register(webRoutes, { webRoot: deps.webRoot ?? DEFAULT_WEB_ROOT });
  return app;
}
