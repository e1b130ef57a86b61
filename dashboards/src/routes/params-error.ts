import type { z } from 'zod';
import { WaymarkHttpError } from '../errors.js';

/** Parses query parameters; the first problem becomes a 400 that names the field. */
export function parseParams<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new WaymarkHttpError(
      'WAYMARK_ERR_INVALID_PARAMETER',
      `unknown query parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  const [field = 'query', ...rest] = issue?.path ?? [];
  const where = typeof rest[0] === 'number' ? ` (value ${rest[0] + 1})` : '';
  throw new WaymarkHttpError(
    'WAYMARK_ERR_INVALID_PARAMETER',
    `invalid query parameter "${String(field)}"${where}: ${issue?.message ?? 'invalid'}`,
  );
}
