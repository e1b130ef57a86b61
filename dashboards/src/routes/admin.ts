/**
 * `POST /api/v1/admin/erase`: a data-subject deletion, as `waymark erase` does it, for an
 * operator's tooling. Authenticated with one of the project's `adminKeys` (never a read key:
 * the dashboard holds those); the audit entry names the key by its position, never the key.
 */
import { ProjectRegistry } from '@waymark/contract/projects';
import type { ErasureReport } from '@waymark/contract/schema';
import type { FastifyPluginAsync } from 'fastify';
import type { DashboardsConfig } from '../config.js';
import { type ErasureInput, erasureInput } from '../erasure.js';
import { WaymarkHttpError } from '../errors.js';

export type Eraser = (
  projectId: string,
  input: ErasureInput,
  requestedBy: string,
) => Promise<ErasureReport>;

export interface AdminOptions {
  config: DashboardsConfig;
  erase: Eraser;
}

export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (app, { config, erase }) => {
  const registry = new ProjectRegistry(config.projects);

  app.post('/api/v1/admin/erase', async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const admin = match?.[1] ? registry.byAdminKey(match[1]) : undefined;
    if (!admin) {
      throw new WaymarkHttpError(
        'WAYMARK_ERR_UNAUTHORIZED',
        header ? 'unknown admin key' : 'missing admin key: send Authorization: Bearer <adminKey>',
      );
    }
    const parsed = erasureInput.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path[0];
      throw new WaymarkHttpError(
        'WAYMARK_ERR_INVALID_PARAMETER',
        `invalid body field "${String(field ?? 'body')}": ${issue?.message ?? 'invalid'}`,
      );
    }
    return erase(admin.project.id, parsed.data, `admin-api:key-${admin.index + 1}`);
  });
};
