/** The dashboards service: query API + dashboard on DASHBOARDS_PORT (8789). */
import { buildApp } from './app.js';
import { clickhouseClient } from './clickhouse.js';
import { ConfigError, loadDashboardsConfig } from './config.js';
import { erase } from './erasure.js';
import { createQueries } from './queries/index.js';

async function main(): Promise<void> {
  const config = loadDashboardsConfig();
  const client = clickhouseClient(config);
  const app = await buildApp(config, {
    queries: createQueries(client, config.clickhouse.database),
    erase: (projectId, input, by) =>
      erase(client, config.clickhouse.database, projectId, input, by),
    logger: { level: config.logLevel },
  });
  const stop = async () => {
    await app.close();
    await client.close();
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await app.listen({ host: config.host, port: config.port });
  // Never a key in a log line: logs are shipped and kept where read keys must not be.
  app.log.info(
    `dashboard http://${config.host}:${config.port}/#key=<read key> (database ${config.clickhouse.database})`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
});
