/**
 * Command-line flags, parsed the one way every `waymark` command does: node's util.parseArgs in
 * strict mode (an unknown or malformed flag is refused), its complaint a UsageError (exit 2).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** What `parseArgs` takes as its `options`. */
type FlagOptions = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Values<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>['values'];

/** The flags' values, or a UsageError saying what is wrong with them. */
export function parseFlags<O extends FlagOptions>(args: readonly string[], options: O): Values<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
