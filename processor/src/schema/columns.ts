/**
 * The ClickHouse tables' names and columns: the one place the query layer reads them from.
 * The migrations in migrations.ts create exactly these.
 */
export const TABLES = {
  events: 'events',
  migrations: 'schema_migrations',
} as const;

/** One row of the events table as inserted with JSONEachRow. */
export interface EventRow {
  project_id: string;
  message_id: string;
  type: string;
  event: string;
  anonymous_id: string;
  user_id: string;
  /** 'YYYY-MM-DD hh:mm:ss' UTC: ClickHouse 18.16 has no DateTime64. */
  timestamp: string;
  received_at: string;
  properties: string;
}
