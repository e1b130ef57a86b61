/** A fresh ClickHouse database with the processor's schema, for integration tests. */
import type { ClickHouseClient } from '@clickhouse/client';
import { type EventRow, type IdentityRow, migrate, TABLES } from '@waymark/contract/schema';
import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';

export async function freshDatabase(
  label: string,
): Promise<{ client: ClickHouseClient; database: string }> {
  const client = testClickHouse();
  const database = uniqueDatabase(label);
  await migrate(client, database);
  return { client, database };
}

export async function insertRows(
  client: ClickHouseClient,
  database: string,
  events: EventRow[],
  identities: IdentityRow[] = [],
): Promise<void> {
  await client.insert({
    table: `${database}.${TABLES.events}`,
    values: events,
    format: 'JSONEachRow',
  });
  if (identities.length > 0) {
    await client.insert({
      table: `${database}.${TABLES.identities}`,
      values: identities,
      format: 'JSONEachRow',
    });
  }
}
