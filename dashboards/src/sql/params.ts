/**
 * Server-side query parameters: values reach ClickHouse as `{name:Type}` placeholders in the SQL
 * text and their values in the client's `query_params`, which the server parses as data of that
 * type — never as SQL. One `SqlParams` collects every value while a question's SQL is composed,
 * so sub-queries built by different modules (base.ts, journeys.ts, …) draw names from one
 * counter and cannot collide; binding the same value with the same type again reuses its name.
 *
 * What parameters cannot carry (identifiers: the database and table names) goes through
 * escape.ts's `sqlIdentifier`; structural choices (columns, models, intervals) come from closed
 * lists and never from input.
 */

/** The parameter types the query layer binds. */
export type ParamType =
  | 'String'
  | 'Array(String)'
  | 'UInt32'
  | 'Int64'
  | 'Float64'
  | 'Date'
  // Explicit UTC: the range is UTC days whatever the server's time zone; compares with
  // DateTime and DateTime64(3) columns alike.
  | "DateTime('UTC')";

/** A composed query: the SQL with placeholders and the values to send as `query_params`. */
export interface BoundQuery {
  query: string;
  params: Record<string, unknown>;
}

const HINT = /^[a-z][a-z0-9]{0,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export class SqlParams {
  readonly #values: Record<string, unknown> = {};
  readonly #names = new Map<string, string>();
  #next = 0;

  /**
   * The placeholder for `value` as `type`; `hint` names it (`{project_0:String}`) so the SQL
   * stays readable in logs.
   */
  bind(type: ParamType, value: unknown, hint = 'v'): string {
    if (!HINT.test(hint)) throw new Error(`not a parameter name hint: ${JSON.stringify(hint)}`);
    const key = `${type}\u0000${JSON.stringify(value)}`;
    let name = this.#names.get(key);
    if (name === undefined) {
      name = `${hint}_${this.#next++}`;
      this.#names.set(key, name);
      this.#values[name] = value;
    }
    return `{${name}:${type}}`;
  }

  string(value: string, hint?: string): string {
    return this.bind('String', value, hint);
  }

  /** An `Array(String)`: use with `IN` or `has()`; an empty list is a valid (empty) array. */
  strings(values: readonly string[], hint?: string): string {
    return this.bind('Array(String)', [...values], hint);
  }

  uint32(value: number, hint?: string): string {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
      throw new Error(`not a UInt32: ${value}`);
    return this.bind('UInt32', value, hint);
  }

  /** A whole number of at most 2^53 in magnitude (epoch milliseconds, durations in ms). */
  int64(value: number, hint?: string): string {
    if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
    return this.bind('Int64', value, hint);
  }

  float64(value: number, hint?: string): string {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return this.bind('Float64', value, hint);
  }

  /** 'YYYY-MM-DD'. */
  date(value: string, hint?: string): string {
    if (!DATE.test(value)) throw new Error(`not a date: ${JSON.stringify(value)}`);
    return this.bind('Date', value, hint);
  }

  /** 'YYYY-MM-DD hh:mm:ss', UTC. */
  dateTime(value: string, hint?: string): string {
    if (!DATE_TIME.test(value)) throw new Error(`not a date and time: ${JSON.stringify(value)}`);
    return this.bind("DateTime('UTC')", value, hint);
  }

  /** The values bound so far, by name (a copy). */
  get values(): Record<string, unknown> {
    return { ...this.#values };
  }

  /** The query with everything bound so far. */
  query(query: string): BoundQuery {
    return { query, params: this.values };
  }
}
