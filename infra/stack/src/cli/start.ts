/**
 * `npm start`: the local stack plus the Waymark services in the foreground, and demo journeys
 * seeded through the collector into an empty project (`npm start -- --no-seed` or WAYMARK_SEED=0
 * to skip). Ctrl-C stops the services (each drains and exits); Kafka and ClickHouse keep
 * running until `npm run stack:down`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadStackConfig, repoRoot } from '../config.js';
import { stackUp } from '../stack.js';
import { runCli } from './run-cli.js';

const SERVICES = ['collector', 'processor', 'dashboards'] as const;

runCli(async () => {
  const endpoints = await stackUp(loadStackConfig());
  const env = {
    ...process.env,
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    CLICKHOUSE_URL: endpoints.clickhouseUrl,
  };
  const children: ChildProcess[] = SERVICES.map((name) =>
    spawn(process.execPath, [join(repoRoot, name, 'dist', 'main.js')], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  const exited = children.map((c) => new Promise<void>((done) => c.once('exit', () => done())));
  const collectorPort = process.env.COLLECTOR_PORT ?? '8787';
  console.log(`kafka       ${endpoints.kafkaBrokers}`);
  console.log(`clickhouse  ${endpoints.clickhouseUrl}`);
  // The demo project's keys (DEFAULT_PROJECTS in @waymark/contract/projects) are public, so
  // they may be printed; configured keys never are.
  const demo = !process.env.WAYMARK_PROJECTS && !process.env.WAYMARK_PROJECTS_FILE;
  const writeKey = demo ? 'wk_demo_local' : 'one of WAYMARK_PROJECTS';
  const readKey = demo ? 'rk_demo_local_only_never_a_secret' : '<a read key of WAYMARK_PROJECTS>';
  console.log(`collector   http://127.0.0.1:${collectorPort}/v1/batch  (write key ${writeKey})`);
  console.log('processor   loading Kafka → ClickHouse database "waymark"');
  console.log(
    `dashboards  http://127.0.0.1:${process.env.DASHBOARDS_PORT ?? '8789'}/#key=${readKey}`,
  );
  if (!process.argv.includes('--no-seed') && process.env.WAYMARK_SEED !== '0') {
    // Demo journeys go through the real collector, and only into a project with no events yet.
    const seeder = spawn(
      process.execPath,
      [
        join(repoRoot, 'dashboards', 'dist', 'cli.js'),
        'seed',
        '--if-empty',
        '--collector',
        `http://127.0.0.1:${collectorPort}`,
      ],
      { env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    seeder.once('exit', (code) => {
      if (code !== 0) console.error('waymark: demo seeding failed; the services keep running');
    });
  }
  console.log('Ctrl-C stops the services; `npm run stack:down` stops Kafka and ClickHouse.');

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // One service dying takes the others down, so a half-running pipeline never looks healthy.
  await Promise.race(exited);
  if (!stopping) {
    process.exitCode = 1;
    console.error('waymark: a service exited; stopping the others');
  }
  stop();
  await Promise.all(exited);
});
