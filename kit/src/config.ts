/**
 * One way for every service to read its settings: once, at boot, from the environment and an
 * optional JSON file (`WAYMARK_CONFIG_FILE`, the same names as the environment; a variable set in
 * the environment wins), through one zod schema. Every problem is listed in one `ConfigError`
 * that says what to fix; the result is frozen, deep. Plus the fragments several services share:
 * the log level, the Kafka brokers, the ClickHouse server with its credentials.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

/** Every problem of a service's settings, in one message: `invalid <service> config — fix: …`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** One `NAME: what is wrong` per problem. */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/**
 * Reports one problem, named by the setting to fix (`''` for a message that already names it,
 * such as one from a parser of its own).
 */
export type Problem = (name: string, message: string) => void;

/** The variable naming a JSON file of settings (an object of the same names as the environment). */
export const CONFIG_FILE_VARIABLE = 'WAYMARK_CONFIG_FILE';

export interface ConfigSpec<S extends z.ZodObject, R, C> {
  /** `collector`, `processor`, …: names the error. */
  service: string;
  schema: S;
  /**
   * Settings read apart from the schema (project lists from their own file, say). Runs whether or
   * not the schema passed, so its problems are listed with the schema's.
   */
  read?: (env: Env, problem: Problem) => R;
  /**
   * Errors `read` may throw that are problems of the settings (a project parser's own error
   * class, say): their messages are listed with the others instead of escaping.
   */
  readErrors?: readonly (abstract new (
    ...args: never[]
  ) => Error)[];
  /**
   * Names a config file may hold besides the schema's (those `read` takes); any other name in the
   * file is reported as a problem, since a misspelt one would otherwise be ignored silently.
   */
  alsoReads?: readonly string[];
  /** Shapes the parsed values; runs once everything parsed, and may report cross-field problems. */
  build: (values: z.output<S>, read: R, problem: Problem) => C;
}

/** Freezes plain objects and arrays all the way down (a service's config holds nothing else). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value) || proto === Object.prototype || proto === null) {
      Object.freeze(value);
      for (const inner of Object.values(value)) deepFreeze(inner);
    }
  }
  return value;
}

function fromFile(env: Env, known: ReadonlySet<string>, problem: Problem): Env {
  const path = env[CONFIG_FILE_VARIABLE];
  if (path === undefined || path === '') return env;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problem(CONFIG_FILE_VARIABLE, `cannot read ${path} as JSON: ${(err as Error).message}`);
    return env;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problem(CONFIG_FILE_VARIABLE, `${path} must hold one JSON object of settings`);
    return env;
  }
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!known.has(name)) {
      problem(CONFIG_FILE_VARIABLE, `${path} sets ${name}, which this service does not read`);
    } else if (typeof value === 'string') {
      values[name] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      values[name] = String(value);
    } else {
      problem(name, `in ${path}, must be a string, number or boolean`);
    }
  }
  return { ...values, ...definedOnly(env) };
}

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}

/**
 * Parses a service's settings once; throws one `ConfigError` listing every problem, or returns
 * the built settings frozen.
 */
export function loadConfig<S extends z.ZodObject, R = undefined, C = unknown>(
  spec: ConfigSpec<S, R, C>,
  env: Env = process.env,
): C {
  const problems: string[] = [];
  const problem: Problem = (name, message) => {
    problems.push(name === '' ? message : `${name}: ${message}`);
  };
  const known = new Set([...Object.keys(spec.schema.shape), ...(spec.alsoReads ?? [])]);
  const source = fromFile(env, known, problem);
  const parsed = spec.schema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problem(issue.path.join('.') || 'env', issue.message);
  }
  let read: R | undefined;
  try {
    read = spec.read?.(source, problem);
  } catch (err) {
    if (!spec.readErrors?.some((type) => err instanceof type)) throw err;
    problem('', (err as Error).message);
  }
  if (parsed.success && problems.length === 0) {
    const config = spec.build(parsed.data, read as R, problem);
    if (problems.length === 0) return deepFreeze(config);
  }
  throw new ConfigError(`invalid ${spec.service} config — fix: ${problems.join('; ')}`, problems);
}

/** A whole number in [min, max], `fallback` when unset. */
export const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** `'true'` or `'false'`, as a boolean. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

/** A ClickHouse identifier that may be written into SQL unquoted (database, cluster). */
export const identifier = () =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only');

/** JSON text, parsed; pipe the result into the schema of what it must hold. */
export const json = () =>
  z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `must be JSON: ${(err as Error).message}` });
      return z.NEVER;
    }
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `LOG_LEVEL`: pino's levels, `info` by default. */
export const logEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
} as const;

/** `KAFKA_BROKERS`: comma-separated host:port pairs. */
export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .default('127.0.0.1:9092')
    .transform((raw) => raw.split(',').map((broker) => broker.trim())),
} as const;

/** The ClickHouse server and its credentials, as every service that talks to it takes them. */
export const clickhouseEnv = {
  // http:// or https:// (TLS: ClickHouse Cloud, or a server with an https_port).
  CLICKHOUSE_URL: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
    .default('http://127.0.0.1:8123'),
  CLICKHOUSE_USER: z.string().min(1).default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: identifier().default('waymark'),
} as const;

export interface ClickHouseServer {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
}

/** The parsed `clickhouseEnv` values as the client factory takes them. */
export function clickhouseServer(values: {
  CLICKHOUSE_URL: string;
  CLICKHOUSE_USER: string;
  CLICKHOUSE_PASSWORD: string;
  CLICKHOUSE_DATABASE: string;
}): ClickHouseServer {
  return {
    url: values.CLICKHOUSE_URL,
    username: values.CLICKHOUSE_USER,
    password: values.CLICKHOUSE_PASSWORD,
    database: values.CLICKHOUSE_DATABASE,
  };
}
