/**
 * One coded-error factory for every service (the idea of Fastify's `createError(code, message,
 * status)`): a service lists its codes once (`errors.ts`, built with `defineErrors`), raises them
 * as `CodedError`s, and answers with one body shape, `{ statusCode, error, code, message }`.
 * `checkErrorDocs` holds the list and the service README to each other both ways.
 */
import { STATUS_CODES } from 'node:http';

export interface ErrorSpec {
  /** The HTTP status the code answers with. */
  readonly status: number;
  /** The message when the raiser gives none. */
  readonly message?: string;
}

export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

export interface ErrorBody<C extends string = string> {
  statusCode: number;
  error: string;
  code: C;
  message: string;
}

const CODE = /^WAYMARK_ERR_[A-Z0-9_]+$/;

/** A service's coded list, checked (`WAYMARK_ERR_…` names, 4xx/5xx statuses) and frozen. */
export function defineErrors<const T extends ErrorTable>(errors: T): T {
  for (const [code, { status }] of Object.entries(errors)) {
    if (!CODE.test(code)) throw new TypeError(`error code ${code} must look like WAYMARK_ERR_…`);
    if (!Number.isInteger(status) || status < 400 || status > 599 || !STATUS_CODES[status]) {
      throw new TypeError(`error code ${code} has status ${status}, not an HTTP error status`);
    }
  }
  for (const spec of Object.values(errors)) Object.freeze(spec);
  return Object.freeze(errors);
}

/** The uniform HTTP body of a code. */
export function errorBody<C extends string>(
  errors: Readonly<Record<C, ErrorSpec>>,
  code: C,
  message?: string,
): ErrorBody<C> {
  const { status, message: fallback } = errors[code];
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    code,
    message: message ?? fallback ?? '',
  };
}

export interface CodedErrorOptions {
  /** Response headers, e.g. Retry-After. */
  headers?: Readonly<Record<string, string>>;
  /** Fields added to the body after the uniform four. */
  extra?: Readonly<Record<string, unknown>>;
}

/** An error that becomes a coded HTTP response; each service subclasses it with its own list. */
export class CodedError<C extends string = string> extends Error {
  override name = 'CodedError';
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    private readonly errors: Readonly<Record<C, ErrorSpec>>,
    readonly code: C,
    message?: string,
    options: CodedErrorOptions = {},
  ) {
    super(message ?? errors[code].message ?? code);
    this.statusCode = errors[code].status;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }

  body(): ErrorBody<C> & Record<string, unknown> {
    return { ...errorBody(this.errors, this.code, this.message), ...this.extra };
  }
}

/**
 * What is wrong between a service's coded list and its README, both ways (empty when they
 * agree): every code has a table row `| \`CODE\` | status | … |` with its status, and every
 * `WAYMARK_ERR_…` the README mentions anywhere — table or prose — is a code that exists.
 */
export function checkErrorDocs(errors: ErrorTable, readme: string): string[] {
  const problems: string[] = [];
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const cells = line.match(/^\|\s*`(WAYMARK_ERR_[A-Z0-9_]+)`\s*\|\s*([^|]*?)\s*\|/);
    if (cells) rows.set(cells[1]!, [...(rows.get(cells[1]!) ?? []), cells[2]!]);
  }
  for (const [code, { status }] of Object.entries(errors)) {
    const statuses = rows.get(code);
    if (statuses === undefined) problems.push(`${code} has no table row in the README`);
    else if (statuses.length > 1) problems.push(`${code} has ${statuses.length} table rows`);
    else if (statuses[0] !== String(status)) {
      problems.push(`${code} is documented with status ${statuses[0]}, but answers ${status}`);
    }
  }
  const mentioned = new Set(readme.match(/WAYMARK_ERR_[A-Z0-9_]+/g) ?? []);
  for (const code of mentioned) {
    if (!Object.hasOwn(errors, code)) {
      problems.push(`the README documents ${code}, which is no longer an error code`);
    }
  }
  return problems;
}
