import { StackError } from '../config.js';

/** Runs a CLI body: expected errors become one line on stderr and exit code 1. */
export function runCli(main: (args: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof StackError || (err instanceof Error && err.message.startsWith('usage:'))) {
      console.error(`waymark: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exitCode = 1;
  });
}
