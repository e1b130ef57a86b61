/**
 * Projects and their keys: one zod-validated definition shared by the collector (write keys)
 * and the query side (read keys). Loaded from env `WAYMARK_PROJECTS` (JSON) or
 * `WAYMARK_PROJECTS_FILE` (path to a JSON file); exported as `@waymark/contract/projects`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LIMITS } from './limits.js';

/**
 * A read key is a secret that opens a project's data, so it must be unguessable: 32 characters
 * hold 128 bits in the leanest encoding a random key comes in (hex, 4 bits each; base64url holds
 * 6). Length is all a schema can check; `generateKey` makes keys that are random as well.
 */
export const MIN_READ_KEY_LENGTH = 32;
/** Random bytes of a generated key: 192 bits, 32 base64url characters. */
const KEY_BYTES = 24;

const KEY_PREFIX = { write: 'wk', read: 'rk', admin: 'ak' } as const;

/**
 * A new random key: `wk_` / `rk_` / `ak_` and 24 random bytes in base64url (what `waymark keys
 * new` prints).
 */
export function generateKey(kind: keyof typeof KEY_PREFIX): string {
  return `${KEY_PREFIX[kind]}_${randomBytes(KEY_BYTES).toString('base64url')}`;
}

/**
 * Write keys are public by design (they ship in every page's script, as Segment's do): what
 * they allow is sending events, which the collector's limits bound. So they only need to be
 * distinct, not secret.
 */
const key = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');
const readKey = z
  .string()
  .min(
    MIN_READ_KEY_LENGTH,
    `at least ${MIN_READ_KEY_LENGTH} characters (128 bits); generate one with \`waymark keys new\``,
  )
  .max(256, 'at most 256 characters');
const origin = z.union([
  z.literal('*'),
  z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'an origin such as https://shop.example (scheme://host[:port])'),
]);

const PROJECT_ID = new RegExp(`^[a-z0-9][a-z0-9_-]{0,${LIMITS.maxProjectIdLength - 1}}$`);

const projectInput = z
  .object({
    id: z.string().regex(PROJECT_ID, 'lowercase letters, digits, - and _'),
    /** Public keys for ingestion (SDK / Segment libraries). */
    writeKeys: z.array(key).default([]),
    /** Shorthand for one write key (the original `[{id, writeKey}]` format). */
    writeKey: key.optional(),
    /** Secret keys for the query side. */
    readKeys: z.array(readKey).default([]),
    /** Secret keys for the admin API (erasure): never give them to a dashboard. */
    adminKeys: z.array(readKey).default([]),
    /** Browser origins allowed to send; `*` for any. Requests without Origin are not affected. */
    allowedOrigins: z.array(origin).default([]),
    /** Keep full client IPs instead of anonymizing them (IPv4 /24, IPv6 /48). */
    keepIp: z.boolean().default(false),
    /** A disabled project's keys answer 403. */
    disabled: z.boolean().default(false),
    /**
     * Inactivity that ends a session, for events without a Waymark SDK session (Segment,
     * RudderStack and server libraries): the SDK's own default, 30 minutes.
     */
    sessionTimeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /**
     * Days events and identity links are kept (ClickHouse TTL, schema/retention.ts); absent: the
     * processor's WAYMARK_RETENTION_DAYS (730).
     */
    retentionDays: z.number().int().min(1).max(36_500).optional(),
  })
  .strict()
  .transform(({ writeKey, writeKeys, ...rest }) => ({
    ...rest,
    writeKeys: writeKey === undefined ? writeKeys : [...new Set([writeKey, ...writeKeys])],
  }))
  .refine((p) => p.writeKeys.length > 0, {
    message: 'needs at least one write key (writeKeys or writeKey)',
  });

export const projectsSchema = z
  .array(projectInput)
  .min(1, 'at least one project')
  .superRefine((projects, ctx) => {
    const seen = new Map<string, string>();
    projects.forEach((p, i) => {
      for (const k of [...p.writeKeys, ...p.readKeys, ...p.adminKeys]) {
        const owner = seen.get(k);
        if (owner !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `key ${k.slice(0, 6)}… is used twice (also by ${owner})`,
          });
        }
        seen.set(k, p.id);
      }
      if (projects.findIndex((q) => q.id === p.id) !== i) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate project id ${p.id}` });
      }
    });
  });

export type ProjectConfig = Readonly<z.infer<typeof projectInput>>;

/**
 * The development project `npm start` uses. Its read key is printed in the README, so it is no
 * secret: only for a stack on loopback; any real deployment sets WAYMARK_PROJECTS.
 */
export const DEFAULT_PROJECTS = [
  {
    id: 'demo',
    writeKeys: ['wk_demo_local'],
    readKeys: ['rk_demo_local_only_never_a_secret'],
    allowedOrigins: ['*'],
  },
];

export class ProjectsConfigError extends Error {
  override readonly name = 'ProjectsConfigError';
}

/** Validates a parsed JSON value as the projects list; every problem in one error. */
export function parseProjects(raw: unknown, source: string): readonly ProjectConfig[] {
  const parsed = projectsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${['projects', ...i.path].join('.')}: ${i.message}`,
    );
    throw new ProjectsConfigError(`invalid ${source} — fix: ${problems.join('; ')}`);
  }
  return Object.freeze(parsed.data.map((p) => Object.freeze(p)));
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProjectsConfigError(`${source} must be JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads the projects from `WAYMARK_PROJECTS` (JSON) or `WAYMARK_PROJECTS_FILE` (a JSON file),
 * defaulting to the demo project. Setting both is an error: which one wins would be a guess.
 */
export function loadProjects(
  env: Readonly<Record<string, string | undefined>>,
): readonly ProjectConfig[] {
  const inline = env.WAYMARK_PROJECTS;
  const file = env.WAYMARK_PROJECTS_FILE;
  if (inline && file) {
    throw new ProjectsConfigError('set WAYMARK_PROJECTS or WAYMARK_PROJECTS_FILE, not both');
  }
  if (inline) return parseProjects(parseJson(inline, 'WAYMARK_PROJECTS'), 'WAYMARK_PROJECTS');
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ProjectsConfigError(
        `WAYMARK_PROJECTS_FILE ${file} cannot be read: ${(err as Error).message}`,
      );
    }
    const source = `WAYMARK_PROJECTS_FILE ${file}`;
    return parseProjects(parseJson(text, source), source);
  }
  return parseProjects(DEFAULT_PROJECTS, 'default projects');
}

const digest = (key: string) => createHash('sha256').update(key).digest('base64');

/** Key → project lookups, built once. */
export class ProjectRegistry {
  private readonly byWrite = new Map<string, ProjectConfig>();
  private readonly byRead = new Map<string, ProjectConfig>();
  private readonly byAdmin = new Map<string, { project: ProjectConfig; index: number }>();
  /** Origins any project allows, for CORS preflights (which carry no key). */
  readonly anyOriginAllowed: boolean;
  readonly allowedOrigins: ReadonlySet<string>;

  constructor(readonly projects: readonly ProjectConfig[]) {
    const origins = new Set<string>();
    for (const p of projects) {
      for (const k of p.writeKeys) this.byWrite.set(k, p);
      for (const k of p.readKeys) this.byRead.set(digest(k), p);
      for (const [index, k] of p.adminKeys.entries()) {
        this.byAdmin.set(digest(k), { project: p, index });
      }
      if (!p.disabled) for (const o of p.allowedOrigins) origins.add(o);
    }
    this.anyOriginAllowed = origins.has('*');
    this.allowedOrigins = origins;
  }

  byWriteKey(writeKey: string): ProjectConfig | undefined {
    return this.byWrite.get(writeKey);
  }

  /** Looked up by digest, so lookup timing says nothing about how much of a secret matched. */
  byReadKey(readKey: string): ProjectConfig | undefined {
    return this.byRead.get(digest(readKey));
  }

  /** An admin key's project and its position in `adminKeys` (audit trails name it, not the key). */
  byAdminKey(adminKey: string): { project: ProjectConfig; index: number } | undefined {
    return this.byAdmin.get(digest(adminKey));
  }
}

/** Whether a browser origin may send to this project. */
export function originAllowed(project: ProjectConfig, origin: string): boolean {
  return project.allowedOrigins.includes('*') || project.allowedOrigins.includes(origin);
}
