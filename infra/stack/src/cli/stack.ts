/**
 * `npm run stack:up | stack:down | stack:status | stack:install` — the local Kafka + ClickHouse.
 * Expected problems (missing java, a taken port) print one line saying what to do.
 */
import { loadStackConfig } from '../config.js';
import { installStack, stackDown, stackStatus, stackUp } from '../stack.js';
import { runCli } from './run-cli.js';

const usage = 'usage: stack <up|down|status|install>';

runCli(async (args) => {
  const command = args[0];
  if (args.length !== 1 || command === undefined) throw new Error(usage);
  const config = loadStackConfig();
  switch (command) {
    case 'install':
      installStack(config);
      console.log(
        'stack prerequisites installed (Kafka jars, ClickHouse from chdb-core, chromium)',
      );
      return;
    case 'up': {
      const endpoints = await stackUp(config);
      console.log(`kafka       ${endpoints.kafkaBrokers}`);
      console.log(`clickhouse  ${endpoints.clickhouseUrl}`);
      return;
    }
    case 'down': {
      const stopped = await stackDown(config);
      console.log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
      return;
    }
    case 'status':
      for (const s of stackStatus(config)) {
        const state = s.running ? `running  pid ${s.pid}` : 'stopped';
        console.log(
          `${s.name.padEnd(11)} ${state.padEnd(20)} ${s.address.padEnd(24)} log ${s.logFile}`,
        );
      }
      return;
    default:
      throw new Error(usage);
  }
});
