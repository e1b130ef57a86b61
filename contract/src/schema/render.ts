/**
 * How a migration statement becomes the SQL a server runs: `{db}` replaced by the database and,
 * for a cluster (`CLICKHOUSE_CLUSTER`), every DDL statement made `ON CLUSTER` and every
 * MergeTree-family engine its `Replicated*` twin. Data statements (INSERT … SELECT) are left
 * as they are: on a Replicated table, rows inserted on one replica reach the others.
 *
 * The replica path uses `{uuid}`, not the table's name: the copy-and-swap migrations rename
 * tables, and a path keyed by name would collide when a new table takes an old one's name.
 * `{shard}` and `{replica}` are the servers' macros (config.xml `<macros>`), as for any
 * ON CLUSTER deployment.
 */

export interface RenderTarget {
  database: string;
  /** A cluster name from the servers' `remote_servers`; absent for a single server. */
  cluster?: string;
}

export const REPLICA_PATH = "'/clickhouse/tables/{uuid}/{shard}', '{replica}'";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws unless `name` is a plain identifier (database and cluster names reach SQL as text). */
export function assertIdentifier(name: string, what: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} "${name}" is not a plain SQL identifier`);
}

// `CREATE TABLE IF NOT EXISTS db.t`, `CREATE MATERIALIZED VIEW IF NOT EXISTS db.v`,
// `CREATE DATABASE IF NOT EXISTS db`, `DROP TABLE|VIEW IF EXISTS db.t`, `ALTER TABLE db.t`:
// ON CLUSTER goes right after the name.
const NAMED_DDL =
  /^(\s*(?:CREATE (?:TABLE|MATERIALIZED VIEW|DATABASE) IF NOT EXISTS|CREATE (?:TABLE|MATERIALIZED VIEW)|DROP (?:TABLE|VIEW) IF EXISTS|ALTER TABLE)\s+[A-Za-z0-9_.]+)/;
// `RENAME TABLE a TO b[, c TO d]`: ON CLUSTER goes at the end.
const RENAME = /^\s*RENAME TABLE\s/;
// An engine's own arguments (ReplacingMergeTree(version)) follow the replica path.
const ENGINE = /ENGINE = (Replacing|Aggregating|Summing|Collapsing|)MergeTree(?:\(([^)]*)\))?/g;

/** The statement for `target`; see the file comment. */
export function renderStatement(statement: string, target: RenderTarget): string {
  assertIdentifier(target.database, 'database');
  const sql = statement.replaceAll('{db}', target.database);
  const { cluster } = target;
  if (cluster === undefined) return sql;
  assertIdentifier(cluster, 'cluster');
  if (RENAME.test(sql)) return `${sql} ON CLUSTER ${cluster}`;
  if (!NAMED_DDL.test(sql)) return sql;
  return sql
    .replace(NAMED_DDL, `$1 ON CLUSTER ${cluster}`)
    .replace(
      ENGINE,
      (_m, kind: string, args: string | undefined) =>
        `ENGINE = Replicated${kind}MergeTree(${REPLICA_PATH}${args ? `, ${args}` : ''})`,
    );
}
