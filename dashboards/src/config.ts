/**
 * The dashboards service's settings, parsed once at boot from the environment (and
 * WAYMARK_CONFIG_FILE) with the kit's config helper: every problem is reported in one error; the
 * result is frozen. Nothing else reads process.env.
 *
 * Projects and read keys are the collector's one definition (`@waymark/contract/projects`:
 * `WAYMARK_PROJECTS` JSON or `WAYMARK_PROJECTS_FILE`). Stage rules per project come from
 * `WAYMARK_STAGE_RULES` (JSON object: project id → rules), defaults otherwise.
 */
import { loadProjects, type ProjectConfig, ProjectsConfigError } from '@waymark/contract/projects';
import {
  type ClickHouseServer,
  ConfigError,
  clickhouseEnv,
  clickhouseServer,
  int,
  json,
  loadConfig,
  logEnv,
} from '@waymark/kit/config';
import { z } from 'zod';
import { DEFAULT_STAGE_RULES, type StageRules, stageRulesSchema } from './queries/stages.js';

export { ConfigError };

const envSchema = z.object({
  DASHBOARDS_HOST: z.string().min(1).default('127.0.0.1'),
  DASHBOARDS_PORT: int(0, 65535, 8789),
  ...clickhouseEnv,
  // Failed read keys one address may send per window before it gets 429 (guessing stops there).
  DASHBOARDS_AUTH_FAILURES_PER_IP: int(1, 1_000_000, 20),
  DASHBOARDS_AUTH_FAILURE_WINDOW_MS: int(1000, 86_400_000, 60_000),
  WAYMARK_STAGE_RULES: json().pipe(z.record(z.string(), stageRulesSchema)).optional(),
  ...logEnv,
});

/** A project as the collector defines it, plus its stage rules. */
export type DashboardProject = ProjectConfig & { readonly rules: StageRules };

export interface DashboardsConfig {
  readonly host: string;
  readonly port: number;
  readonly clickhouse: ClickHouseServer;
  /** Failed read keys per address and window before 429. */
  readonly authFailures: { readonly perIp: number; readonly windowMs: number };
  readonly projects: readonly DashboardProject[];
  readonly logLevel: string;
}

/** Parses the settings once; throws one ConfigError listing everything to fix. */
export function loadDashboardsConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DashboardsConfig {
  return loadConfig(
    {
      service: 'dashboards',
      schema: envSchema,
      alsoReads: ['WAYMARK_PROJECTS', 'WAYMARK_PROJECTS_FILE'],
      read: (source) => loadProjects(source),
      readErrors: [ProjectsConfigError],
      build: (e, projects, problem): DashboardsConfig => {
        const rules = e.WAYMARK_STAGE_RULES ?? {};
        const unknown = Object.keys(rules).filter((id) => !projects.some((p) => p.id === id));
        if (unknown.length > 0) {
          problem('WAYMARK_STAGE_RULES', `names unknown projects: ${unknown.join(', ')}`);
        }
        return {
          host: e.DASHBOARDS_HOST,
          port: e.DASHBOARDS_PORT,
          clickhouse: clickhouseServer(e),
          authFailures: {
            perIp: e.DASHBOARDS_AUTH_FAILURES_PER_IP,
            windowMs: e.DASHBOARDS_AUTH_FAILURE_WINDOW_MS,
          },
          projects: projects.map((p) => ({ ...p, rules: rules[p.id] ?? DEFAULT_STAGE_RULES })),
          logLevel: e.LOG_LEVEL,
        };
      },
    },
    env,
  );
}
