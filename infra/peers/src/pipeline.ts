/**
 * The whole real pipeline for one peer test, as child processes of the built services: collector
 * → Kafka → processor → ClickHouse (the test harness's `startPipeline`, on a topic and database
 * of the test's own) and the dashboards API on that database, with one project whose write key
 * the library sends and whose read key the test asks with.
 */

import { randomBytes } from 'node:crypto';
import { generateKey } from '@waymark/contract/projects';
import {
  eventually,
  freePort,
  type Pipeline,
  type ServiceProcess,
  startPipeline,
  startService,
  testServices,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';

export interface PeerPipeline {
  collectorUrl: string;
  dashboardsUrl: string;
  database: string;
  projectId: string;
  writeKey: string;
  readKey: string;
  /** What the three services printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function startPeerPipeline(opts: {
  /** Short name of the library, used in topic, database, project and keys. */
  label: string;
  /** Browser origins the project accepts (the page server's), if any. */
  allowedOrigins?: string[];
}): Promise<PeerPipeline> {
  const suffix = randomBytes(3).toString('hex');
  const projectId = `peer-${opts.label}`;
  const writeKey = `wk_${opts.label}_${suffix}`;
  const readKey = generateKey('read');
  const projects = JSON.stringify([
    {
      id: projectId,
      writeKeys: [writeKey],
      readKeys: [readKey],
      allowedOrigins: opts.allowedOrigins ?? [],
    },
  ]);
  const database = uniqueDatabase(`peers_${opts.label}`);
  const pipeline: Pipeline = await startPipeline({
    topic: uniqueTopic(`peers-${opts.label}`),
    database,
    projects,
  });
  let dashboards: ServiceProcess | undefined;
  const output = () =>
    [
      `collector: ${pipeline.collector.output()}`,
      `processor: ${pipeline.processor.output()}`,
      `dashboards: ${dashboards?.output() ?? ''}`,
    ].join('\n');
  const stop = async () => {
    await Promise.all([pipeline.stop(), dashboards?.stop()]);
  };
  try {
    const port = await freePort();
    dashboards = startService('dashboards', {
      DASHBOARDS_PORT: String(port),
      CLICKHOUSE_URL: testServices().clickhouseUrl,
      CLICKHOUSE_DATABASE: database,
      WAYMARK_PROJECTS: projects,
    });
    const dashboardsUrl = `http://127.0.0.1:${port}`;
    await eventually(async () => ((await fetch(`${dashboardsUrl}/health`)).ok ? true : undefined), {
      what: `dashboards /health (${dashboards.output()})`,
    });
    return {
      collectorUrl: pipeline.collectorUrl,
      dashboardsUrl,
      database,
      projectId,
      writeKey,
      readKey,
      output,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
