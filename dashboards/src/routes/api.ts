/** `/api/v1/<question>`: read-key auth, zod-validated parameters, JSON answers. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { DashboardProject, DashboardsConfig } from '../config.js';
import { WaymarkHttpError } from '../errors.js';
import type { Queries } from '../queries/index.js';
import { parseParams } from './params-error.js';
import { QUESTIONS } from './questions.js';

export interface ApiOptions {
  config: DashboardsConfig;
  queries: Queries;
}

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async (app, { config, queries }) => {
  const byKey = new Map<string, DashboardProject>();
  for (const project of config.projects)
    for (const key of project.readKeys) byKey.set(key, project);

  const projectOf = (request: FastifyRequest): DashboardProject => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const project = match?.[1] ? byKey.get(match[1]) : undefined;
    if (!project) {
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
      const ctx = { projectId: project.id, rules: project.rules };
      return (q.run as (queries: Queries, c: typeof ctx, p: unknown) => Promise<unknown>)(
        queries,
        ctx,
        params,
      );
    });
  }
};
