import { type LoadableRecord, recordSchema } from '@waymark/contract/record';

export type Decoded =
  | { ok: true; record: LoadableRecord }
  | { ok: false; stage: 'parse' | 'validate'; reason: string };

/** Kafka bytes → a validated record, or why not (the reason goes to the dead-letter topic). */
export function decodeRecord(value: Buffer | null): Decoded {
  if (value === null || value.length === 0) {
    return { ok: false, stage: 'parse', reason: 'empty message (no value)' };
  }
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, stage: 'parse', reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length > 0 ? i.path.join('.') : '(record)'}: ${i.message}`,
    );
    return { ok: false, stage: 'validate', reason: `invalid record — ${problems.join('; ')}` };
  }
  return { ok: true, record: parsed.data };
}
