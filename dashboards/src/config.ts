/**
 * The dashboards service's settings, parsed once at boot from the environment by one zod schema;
 * every problem is reported in one error; the result is frozen. Nothing else reads process.env.
 *
 * Projects and read keys are the collector's one definition (`@waymark/contract/projects`:
 * `WAYMARK_PROJECTS` JSON or `WAYMARK_PROJECTS_FILE`). Stage rules per project come from
 * `WAYMARK_STAGE_RULES` (JSON object: project id → rules), defaults otherwise.
 */
import { loadProjects, type ProjectConfig, ProjectsConfigError } from '@waymark/contract/projects';
import { z } from 'zod';
import { DEFAULT_STAGE_RULES, type StageRules, stageRulesSchema } from './queries/stages.js';

const json = (what: string) =>
  z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `${what} must be JSON: ${(err as Error).message}` });
      return z.NEVER;
    }
  });

const envSchema = z.object({
  DASHBOARDS_HOST: z.string().min(1).default('127.0.0.1'),
  DASHBOARDS_PORT: z.coerce.number().int().min(0).max(65535).default(8789),
  CLICKHOUSE_URL: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
    .default('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain identifier')
    .default('waymark'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  WAYMARK_STAGE_RULES: json('WAYMARK_STAGE_RULES')
    .pipe(z.record(z.string(), stageRulesSchema))
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A project as the collector defines it, plus its stage rules. */
export type DashboardProject = ProjectConfig & { readonly rules: StageRules };

export interface DashboardsConfig {
  readonly host: string;
  readonly port: number;
  readonly clickhouse: {
    readonly url: string;
    readonly database: string;
    readonly username: string;
    readonly password: string;
  };
  readonly projects: readonly DashboardProject[];
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function problems(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => `${prefix}${i.path.join('.') || 'value'}: ${i.message}`)
    .join('; ');
}

/** Parses the settings once; throws one ConfigError listing everything to fix. */
export function loadDashboardsConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DashboardsConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid dashboards config — fix: ${problems(parsed.error)}`);
  }
  const e = parsed.data;
  let projects: ReturnType<typeof loadProjects>;
  try {
    projects = loadProjects(env);
  } catch (err) {
    if (err instanceof ProjectsConfigError) throw new ConfigError(err.message);
    throw err;
  }
  const rules = e.WAYMARK_STAGE_RULES ?? {};
  const unknown = Object.keys(rules).filter((id) => !projects.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw new ConfigError(
      `invalid dashboards config — fix: WAYMARK_STAGE_RULES names unknown projects: ${unknown.join(', ')}`,
    );
  }
  return Object.freeze({
    host: e.DASHBOARDS_HOST,
    port: e.DASHBOARDS_PORT,
    clickhouse: Object.freeze({
      url: e.CLICKHOUSE_URL,
      database: e.CLICKHOUSE_DATABASE,
      username: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
    }),
    projects: Object.freeze(
      projects.map((p) => Object.freeze({ ...p, rules: rules[p.id] ?? DEFAULT_STAGE_RULES })),
    ),
    logLevel: e.LOG_LEVEL,
  });
}
