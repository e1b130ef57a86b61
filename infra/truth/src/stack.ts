/**
 * The whole Waymark stack for one test, every service a child process of the test harness: the
 * built collector and processor (startPipeline) and the built dashboards API, on a topic and a
 * database of their own.
 */
import { TABLES } from '@waymark/contract/schema';
import {
  eventually,
  freePort,
  type Pipeline,
  type ServiceProcess,
  startPipeline,
  startService,
  testClickHouse,
  testServices,
  uniqueDatabase,
  uniqueTopic,
} from '@waymark/test-harness';

export const PROJECT = {
  id: 'truth',
  writeKey: 'wk_truth_writer',
  readKey: 'rk_truth_reader_for_the_ground_truth_set',
};
const projects = JSON.stringify([
  { id: PROJECT.id, writeKey: PROJECT.writeKey, readKeys: [PROJECT.readKey] },
]);

export interface Stack {
  database: string;
  collectorUrl: string;
  /** GET an API path with the project's read key; throws on a non-200 answer. */
  api: <T>(path: string) => Promise<T>;
  /** Until ClickHouse holds `messages` distinct messageIds and `links` linked anonymous ids. */
  loaded: (expected: { messages: number; links: number }, timeoutMs: number) => Promise<void>;
  /** Each stored message's time (its earliest copy), epoch ms. */
  storedTimes: () => Promise<Map<string, number>>;
  /** Until the processor's summarizer has summarized every device (no change after the watermark). */
  summarized: (timeoutMs: number) => Promise<void>;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startStack(label: string): Promise<Stack> {
  const database = uniqueDatabase(label);
  const pipeline: Pipeline = await startPipeline({
    topic: uniqueTopic(label),
    database,
    projects,
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let dashboards: ServiceProcess | undefined;
  const clickhouse = testClickHouse();
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= Promise.all([dashboards?.stop(), pipeline.stop(), clickhouse.close()]).then(
      () => undefined,
    );
    return stopped;
  };
  try {
    dashboards = startService('dashboards', {
      DASHBOARDS_PORT: String(port),
      CLICKHOUSE_URL: testServices().clickhouseUrl,
      CLICKHOUSE_DATABASE: database,
      WAYMARK_PROJECTS: projects,
    });
    await eventually(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), {
      what: `dashboards /health (${dashboards.output()})`,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const output = () =>
    `collector: ${pipeline.collector.output()}\nprocessor: ${pipeline.processor.output()}\ndashboards: ${dashboards?.output()}`;

  return {
    database,
    collectorUrl: pipeline.collectorUrl,
    output,
    stop,
    async api<T>(path: string): Promise<T> {
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${PROJECT.readKey}` },
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body}`);
      return JSON.parse(body) as T;
    },
    async storedTimes() {
      const result = await clickhouse.query({
        query: `SELECT message_id, toString(toUnixTimestamp64Milli(min(toDateTime64(timestamp, 3)))) AS ms
          FROM ${database}.${TABLES.events} GROUP BY message_id`,
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ message_id: string; ms: string }>();
      return new Map(rows.map((r) => [r.message_id, Number(r.ms)]));
    },
    async summarized(timeoutMs) {
      await eventually(
        async () => {
          const result = await clickhouse.query({
            query: `SELECT
                (SELECT max(watermark) FROM ${database}.${TABLES.summaryProgress} WHERE project_id = {project:String}) AS w,
                (SELECT count() FROM ${database}.${TABLES.deviceChanges} WHERE project_id = {project:String} AND changed_at > w) AS pending,
                (SELECT count() FROM ${database}.${TABLES.deviceSummaries} WHERE project_id = {project:String}) AS summaries`,
            query_params: { project: PROJECT.id },
            format: 'JSONEachRow',
          });
          const [row] = await result.json<{ w: string; pending: string; summaries: string }>();
          const done = row && !row.w.startsWith('1970') && Number(row.pending) === 0;
          return done && Number(row.summaries) > 0 ? true : undefined;
        },
        { timeoutMs, intervalMs: 1000, what: `device summaries in ${database}` },
      );
    },
    async loaded(expected, timeoutMs) {
      let seen = '';
      try {
        await eventually(
          async () => {
            const result = await clickhouse.query({
              query: `SELECT
                (SELECT uniqExact(message_id) FROM ${database}.${TABLES.events}) AS messages,
                (SELECT uniqExact(anonymous_id) FROM ${database}.${TABLES.identities} WHERE anonymous_id != '') AS links`,
              format: 'JSONEachRow',
            });
            const [row] = await result.json<{ messages: string; links: string }>();
            seen = JSON.stringify(row);
            const done =
              Number(row?.messages) === expected.messages && Number(row?.links) === expected.links;
            return done ? true : undefined;
          },
          { timeoutMs, intervalMs: 1000, what: `${JSON.stringify(expected)} in ${database}` },
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}; last seen ${seen}\n${output()}`);
      }
    },
  };
}
