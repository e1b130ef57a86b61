/**
 * `waymark <command>`: the query layer in a terminal. Flags are parsed with node's built-in
 * util.parseArgs (no dependency; strict mode refuses unknown flags) and then validated by the
 * same zod schemas as the API's query parameters, so both accept and refuse the same values.
 */
import type { z } from 'zod';
import type { DashboardsConfig } from '../config.js';
import { projectQueryContext, QUESTIONS, type Queries } from '../queries/index.js';
import { parseFlags, UsageError } from './flags.js';
import { renderCsv, renderTable, type Table } from './format.js';
import {
  attributionTable,
  dropoffTable,
  funnelTable,
  retentionTable,
  trendsTable,
} from './tables.js';

export const USAGE = `usage: waymark <command> [options]

commands
  funnel        stage funnel with drop-off         --breakdown none|first_channel|session_channel|campaign|device  --window DAYS
  dropoff       last pages/events before leaving   --stage awareness|engagement|transaction  --limit N  --window DAYS
  attribution   channel credit per model           --model first_touch,last_touch,last_non_direct,linear,time_decay,position_based
                                                   --lookback DAYS  --half-life DAYS
  channels      daily/weekly trends per channel    --interval day|week
  retention     weekly cohorts per channel         --weeks N
  seed          send demo journeys through the collector (see waymark seed --help)
  keys new      a new write, read and admin key for WAYMARK_PROJECTS (see waymark keys --help)
  erase         delete a person's data: --user-id ID | --anonymous-id ID (see waymark erase --help)

common options
  --from YYYY-MM-DD --to YYYY-MM-DD   range, inclusive (default: the last 30 days)
  --channel a,b  --campaign x  --device mobile  --identified any|yes|no  --bots exclude|include
  --project ID   (default: the first configured project)
  --json | --csv  machine-readable output instead of a table

settings come from the environment: CLICKHOUSE_URL, CLICKHOUSE_DATABASE, WAYMARK_PROJECTS, WAYMARK_STAGE_RULES`;

/** CLI command → question and its table. */
const COMMANDS = {
  funnel: { question: 'funnel', table: funnelTable },
  dropoff: { question: 'dropoff', table: dropoffTable },
  attribution: { question: 'attribution', table: attributionTable },
  channels: { question: 'trends', table: trendsTable },
  retention: { question: 'retention', table: retentionTable },
} as const;

const FLAGS = {
  from: { type: 'string' },
  to: { type: 'string' },
  channel: { type: 'string', multiple: true },
  campaign: { type: 'string', multiple: true },
  device: { type: 'string', multiple: true },
  identified: { type: 'string' },
  bots: { type: 'string' },
  project: { type: 'string' },
  breakdown: { type: 'string' },
  window: { type: 'string' },
  stage: { type: 'string' },
  limit: { type: 'string' },
  model: { type: 'string', multiple: true },
  lookback: { type: 'string' },
  'half-life': { type: 'string' },
  interval: { type: 'string' },
  weeks: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export { UsageError } from './flags.js';

export interface QueryCommandDeps {
  config: DashboardsConfig;
  queries: Queries;
  /** Today, for the default range. */
  now?: Date;
}

export function isQueryCommand(command: string | undefined): command is keyof typeof COMMANDS {
  return command !== undefined && Object.hasOwn(COMMANDS, command);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Runs one query command and returns what to print. */
export async function runQueryCommand(
  command: keyof typeof COMMANDS,
  args: string[],
  deps: QueryCommandDeps,
): Promise<string> {
  const values = parseFlags(args, FLAGS);
  if (values.help) return USAGE;
  if (values.json && values.csv) throw new UsageError('choose one of --json and --csv');

  const project = values.project
    ? deps.config.projects.find((p) => p.id === values.project)
    : deps.config.projects[0];
  if (!project) throw new UsageError(`unknown project ${values.project}`);

  const now = deps.now ?? new Date();
  const { json, csv, help, project: _p, 'half-life': halfLife, ...rest } = values;
  const input: Record<string, unknown> = {
    from: day(new Date(now.getTime() - 29 * 86_400_000)),
    to: day(now),
    ...rest,
    ...(halfLife === undefined ? {} : { halfLife }),
  };
  const { question: name, table } = COMMANDS[command];
  const question = QUESTIONS.find((q) => q.name === name);
  if (!question) throw new Error(`no question ${name}`);
  const parsed = (question.params as z.ZodType).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = issue?.code === 'unrecognized_keys' ? issue.keys : [];
    const flag = String(keys[0] ?? issue?.path[0] ?? 'options').replace('halfLife', 'half-life');
    const hint = keys.length > 0 ? ` (not an option of ${command})` : '';
    throw new UsageError(`--${flag}: ${issue?.message ?? 'invalid'}${hint}`);
  }
  const ctx = projectQueryContext(project);
  const result = await deps.queries.ask(question.name, ctx, parsed.data);
  if (json) return JSON.stringify(result, null, 2);
  const rendered: Table = (table as (r: unknown) => Table)(result);
  if (csv) return renderCsv(rendered);
  return rendered.rows.length === 0 ? 'no data for this range and filters' : renderTable(rendered);
}
