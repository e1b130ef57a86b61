/** `/api/v1/<question>`: read-key auth, zod-validated parameters, JSON answers. */
import { ProjectRegistry } from '@waymark/contract/projects';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { DashboardProject, DashboardsConfig } from '../config.js';
import { WaymarkHttpError } from '../errors.js';
import { projectQueryContext, QUESTIONS, type Queries } from '../queries/index.js';
import { AuthFailures } from './auth-failures.js';
import { parseParams } from './params-error.js';

export interface ApiOptions {
  config: DashboardsConfig;
  queries: Queries;
  now: () => number;
}

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async (app, { config, queries, now }) => {
  // The collector's registry looks read keys up by digest (timing says nothing about a guess).
  const registry = new ProjectRegistry(config.projects);
  const byId = new Map(config.projects.map((p) => [p.id, p]));
  const failures = new AuthFailures(config.authFailures.perIp, config.authFailures.windowMs, now);

  const projectOf = (request: FastifyRequest): DashboardProject => {
    const wait = failures.blockedFor(request.ip);
    if (wait > 0) {
      throw new WaymarkHttpError(
        'WAYMARK_ERR_RATE_LIMITED',
        `too many failed read keys from this address; retry in ${wait} s`,
        { 'retry-after': String(wait) },
      );
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const found = match?.[1] ? registry.byReadKey(match[1]) : undefined;
    const project = found ? byId.get(found.id) : undefined;
    if (!project) {
      // A missing key is a client that forgot it, not a guess.
      if (header) failures.failed(request.ip);
      throw new WaymarkHttpError(
        'WAYMARK_ERR_UNAUTHORIZED',
        header ? 'unknown read key' : 'missing read key: send Authorization: Bearer <readKey>',
      );
    }
    if (project.disabled) throw new WaymarkHttpError('WAYMARK_ERR_FORBIDDEN', 'project disabled');
    return project;
  };

  app.get('/api/v1/project', async (request) => {
    const project = projectOf(request);
    return { id: project.id, stageRules: project.rules };
  });

  for (const q of QUESTIONS) {
    app.get(`/api/v1/${q.name}`, async (request) => {
      const project = projectOf(request);
      const params = parseParams(q.params, request.query);
      const ctx = projectQueryContext(project);
      return queries.ask(q.name, ctx, params);
    });
  }
};
