import type { WireBatch } from '@waymark/sdk/wire';
import { EVENT_TYPES } from '@waymark/sdk/wire';
import { z } from 'zod';

// Skeleton schema: the collector issue widens it to the full wire contract.
const eventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    messageId: z.string().min(1).max(128).optional(),
    anonymousId: z.string().min(1).max(256).optional(),
    userId: z.string().min(1).max(256).optional(),
    event: z.string().max(256).optional(),
    timestamp: z.string().optional(),
  })
  .loose();

export const batchSchema = z.object({
  batch: z.array(eventSchema).min(1).max(500),
  sentAt: z.string().optional(),
  writeKey: z.string().optional(),
});

// Compile-time check: what the schema accepts must be assignable to the SDK's wire type.
type Assignable<T, _U extends T> = true;
export type _SchemaMatchesWire = Assignable<
  Pick<WireBatch, 'sentAt' | 'writeKey'>,
  Pick<z.infer<typeof batchSchema>, 'sentAt' | 'writeKey'>
>;
