import type { ClickHouseClient } from '@clickhouse/client';
import { type RenderTarget, renderStatement } from './render.js';

/** What a migration step runs against: one database, on one server or a cluster. */
export interface MigrationContext {
  readonly target: RenderTarget;
  /** Runs one statement (`{db}` replaced, rendered for the cluster); values as `{name:Type}`. */
  command(statement: string, params?: Record<string, unknown>): Promise<void>;
  /** Runs one SELECT (`{db}` replaced); values as `{name:Type}` server-side parameters. */
  rows<T>(query: string, params?: Record<string, unknown>): Promise<T[]>;
}

export function migrationContext(client: ClickHouseClient, target: RenderTarget): MigrationContext {
  return {
    target,
    async command(statement, params) {
      await client.command({
        query: renderStatement(statement, target),
        ...(params ? { query_params: params } : {}),
        // An ON CLUSTER statement returns once every host ran it (or failed it).
        ...(target.cluster
          ? { clickhouse_settings: { distributed_ddl_output_mode: 'throw' } }
          : {}),
      });
    },
    async rows<T>(query: string, params?: Record<string, unknown>) {
      const result = await client.query({
        query: query.replaceAll('{db}', target.database),
        format: 'JSONEachRow',
        ...(params ? { query_params: params } : {}),
      });
      return result.json<T>();
    },
  };
}
