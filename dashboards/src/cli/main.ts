#!/usr/bin/env node
/** The `waymark` command. */
import { clickhouseClient } from '../clickhouse.js';
import { ConfigError, loadDashboardsConfig } from '../config.js';
import { createQueries } from '../queries/index.js';
import { runEraseCommand } from './erase.js';
import { runKeysCommand } from './keys.js';
import { isQueryCommand, runQueryCommand, USAGE, UsageError } from './run.js';
import { runSeedCommand } from './seed.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'keys') {
    process.stdout.write(`${runKeysCommand(args)}\n`);
    return 0;
  }
  if (command === 'seed') {
    process.stdout.write(`${await runSeedCommand(args, process.env)}\n`);
    return 0;
  }
  if (command !== 'erase' && !isQueryCommand(command)) {
    throw new UsageError(`unknown command ${command}\n\n${USAGE}`);
  }
  const config = loadDashboardsConfig();
  const client = clickhouseClient(config);
  try {
    if (command === 'erase') {
      process.stdout.write(`${await runEraseCommand(args, { config, client })}\n`);
      return 0;
    }
    const out = await runQueryCommand(command, args, {
      config,
      queries: createQueries(client, config.clickhouse.database),
    });
    process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    return 0;
  } finally {
    await client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`waymark: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`waymark: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
