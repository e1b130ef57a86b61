/**
 * `waymark seed`: generates demo journeys and sends them through the real collector, writing
 * the ground truth they imply. `--if-empty` does nothing when the project already has events
 * (what `npm start` uses so a newcomer sees a populated dashboard, once).
 */
import { writeFileSync } from 'node:fs';
import { loadProjects } from '@waymark/contract/projects';
import { TABLES } from '@waymark/contract/schema';
import { CHANNELS } from '@waymark/contract/wire';
import { z } from 'zod';
import { clickhouseClient } from '../clickhouse.js';
import { loadDashboardsConfig } from '../config.js';
import { generateDemo, seedOptionsSchema } from '../seed/generate.js';
import { sendEvents } from '../seed/send.js';
import { sqlIdentifier } from '../sql/escape.js';
import { parseFlags, UsageError } from './flags.js';

export const SEED_USAGE = `usage: waymark seed [options]
  --people N            people to generate (500)
  --days D              days the journeys span, ending --end (30)
  --end YYYY-MM-DD      last day (today)
  --seed S              random seed (1): same seed, same journeys
  --mix direct=20,organic=25,paid=20,social=12,email=10,referral=8,display=5
                        relative weight of each acquisition channel
  --rates engagement=0.55,transaction=0.35,retention=0.4
                        share of each stage reaching the next
  --identify 0.6        share of buyers who sign in
  --bots 5              bot visitors (excluded from every answer)
  --collector URL       collector base URL (WAYMARK_COLLECTOR_URL, else http://127.0.0.1:8787)
  --project ID          project (first configured); its first write key is used
  --truth FILE          write the ground truth JSON here
  --if-empty            do nothing if the project already has events`;

const pairs = (flag: string, keys: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const out: Record<string, number> = {};
      for (const part of text.split(',')) {
        const [key = '', value = ''] = part.split('=');
        const number = Number(value);
        if (!keys.includes(key.trim()) || value.trim() === '' || !Number.isFinite(number)) {
          ctx.addIssue({
            code: 'custom',
            message: `--${flag}: "${part}" is not name=number with a name from ${keys.join(', ')}`,
          });
          return z.NEVER;
        }
        out[key.trim()] = number;
      }
      return out;
    });

const flagsSchema = z.object({
  people: z.string().optional(),
  days: z.string().optional(),
  end: z.string().optional(),
  seed: z.string().optional(),
  mix: pairs('mix', CHANNELS),
  rates: pairs('rates', ['engagement', 'transaction', 'retention']),
  identify: z.coerce.number().optional(),
  bots: z.string().optional(),
  collector: z.url().optional(),
  project: z.string().optional(),
  truth: z.string().optional(),
  'if-empty': z.boolean().optional(),
  help: z.boolean().optional(),
});

const SEED_FLAGS = {
  people: { type: 'string' },
  days: { type: 'string' },
  end: { type: 'string' },
  seed: { type: 'string' },
  mix: { type: 'string' },
  rates: { type: 'string' },
  identify: { type: 'string' },
  bots: { type: 'string' },
  collector: { type: 'string' },
  project: { type: 'string' },
  truth: { type: 'string' },
  'if-empty': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runSeedCommand(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  let values: Record<string, unknown>;
  try {
    values = parseFlags(args, SEED_FLAGS);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${SEED_USAGE}`);
  }
  const flags = flagsSchema.safeParse(values);
  if (!flags.success)
    throw new UsageError(
      flags.error.issues
        .map((i) => `${i.path.join('.') ? `--${i.path.join('.')}: ` : ''}${i.message}`)
        .join('; '),
    );
  const f = flags.data;
  if (f.help) return SEED_USAGE;
  const options = seedOptionsSchema.safeParse({
    people: f.people,
    days: f.days,
    end: f.end,
    seed: f.seed,
    ...(f.mix ? { mix: f.mix } : {}),
    ...(f.rates ? { rates: f.rates } : {}),
    ...(f.identify === undefined ? {} : { identify: f.identify }),
    bots: f.bots,
  });
  if (!options.success) {
    const issue = options.error.issues[0];
    throw new UsageError(
      `--${String(issue?.path[0] ?? 'options')}: ${issue?.message ?? 'invalid'}`,
    );
  }

  const projects = loadProjects(env);
  const project = f.project ? projects.find((p) => p.id === f.project) : projects[0];
  const writeKey = project?.writeKeys[0];
  if (!project || !writeKey) throw new UsageError(`unknown project ${f.project ?? ''}`);

  if (f['if-empty']) {
    const config = loadDashboardsConfig(env);
    const client = clickhouseClient(config);
    try {
      // Before the processor's first start the table does not exist yet: that is empty too.
      const result = await client.query({
        query: `SELECT count() AS n FROM system.tables
                WHERE database = {database:String} AND name = {table:String}`,
        query_params: { database: config.clickhouse.database, table: TABLES.events },
        format: 'JSONEachRow',
      });
      const [table] = await result.json<{ n: string }>();
      const row =
        Number(table?.n ?? 0) === 0
          ? undefined
          : (
              await (
                await client.query({
                  query: `SELECT count() AS n FROM ${sqlIdentifier(config.clickhouse.database)}.${sqlIdentifier(TABLES.events)}
                          WHERE project_id = {project:String}`,
                  query_params: { project: project.id },
                  format: 'JSONEachRow',
                })
              ).json<{ n: string }>()
            )[0];
      if (Number(row?.n ?? 0) > 0) return `project ${project.id} already has events; not seeding`;
    } finally {
      await client.close();
    }
  }

  const demo = generateDemo(options.data);
  const collectorUrl = f.collector ?? env.WAYMARK_COLLECTOR_URL ?? 'http://127.0.0.1:8787';
  const sent = await sendEvents(demo.events, { collectorUrl, writeKey });
  if (f.truth) writeFileSync(f.truth, `${JSON.stringify(demo.truth, null, 2)}\n`);
  const [a, e, t, r] = demo.truth.stages.total;
  return `sent ${sent} events for ${options.data.people} people (+${options.data.bots} bots) to ${collectorUrl}, project ${project.id}, ${demo.truth.range.from}…${demo.truth.range.to}: awareness ${a}, engagement ${e}, transaction ${t}, retention ${r}, ${demo.truth.conversions} conversions${f.truth ? `; ground truth in ${f.truth}` : ''}`;
}
