/**
 * Erasure requests, as the CLI and the admin API take them: one zod schema (exactly one of a
 * user id or an anonymous id), one call into the schema's `erasePerson`, one report shape.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type ErasureReport, erasePerson } from '@waymark/contract/schema';
import { z } from 'zod';

const id = z.string().min(1, 'must not be empty').max(256, 'at most 256 characters');

export const erasureInput = z
  .object({ userId: id.optional(), anonymousId: id.optional() })
  .strict()
  .refine((v) => (v.userId === undefined) !== (v.anonymousId === undefined), {
    message: 'give exactly one of userId and anonymousId',
    path: ['userId'],
  });
export type ErasureInput = z.infer<typeof erasureInput>;

export async function erase(
  client: ClickHouseClient,
  database: string,
  projectId: string,
  input: ErasureInput,
  requestedBy: string,
): Promise<ErasureReport> {
  return erasePerson(client, database, {
    projectId,
    requestedBy,
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    ...(input.anonymousId === undefined ? {} : { anonymousId: input.anonymousId }),
  });
}
