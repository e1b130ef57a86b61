/**
 * What the pipeline stored, read back from ClickHouse: one row per message (a replay can store
 * a message twice), in time order, with the millisecond timestamp as a number.
 */
import { eventually, testClickHouse } from '@waymark/test-harness';
import type { PeerPipeline } from './pipeline.js';

export interface StoredEvent {
  message_id: string;
  type: string;
  event: string;
  anonymous_id: string;
  user_id: string;
  session_id: string;
  /** `timestamp` in ms since the epoch (DateTime64(3)). */
  ms: number;
  session_channel: string;
  session_source: string;
  session_medium: string;
  session_campaign: string;
  session_referrer_host: string;
  first_channel: string;
  page_url: string;
  revenue: number;
  currency: string;
  order_id: string;
  library: string;
  traits: string;
  device_type: string;
  is_bot: number;
}

const EVENTS_SQL = (database: string) => `
  SELECT message_id, type, event, anonymous_id, user_id, session_id,
         toUnixTimestamp64Milli(timestamp) AS ms,
         session_channel, session_source, session_medium, session_campaign, session_referrer_host,
         first_channel, page_url, revenue, currency, order_id, library, traits, device_type, is_bot
  FROM ${database}.events
  WHERE project_id = {project:String}
    AND ({anonymous_id:String} = '' OR anonymous_id = {anonymous_id:String})
  ORDER BY timestamp, message_id
  LIMIT 1 BY message_id`;

/**
 * Waits until `count` distinct messages of the project (of one anonymous id, if given) are
 * stored, then returns them.
 */
export async function storedEvents(
  pipeline: PeerPipeline,
  count: number,
  anonymousId = '',
): Promise<StoredEvent[]> {
  const clickhouse = testClickHouse();
  let seen = 0;
  try {
    return await eventually(
      async () => {
        const result = await clickhouse.query({
          query: EVENTS_SQL(pipeline.database),
          query_params: { project: pipeline.projectId, anonymous_id: anonymousId },
          format: 'JSONEachRow',
        });
        const rows = await result.json<StoredEvent>();
        seen = rows.length;
        return rows.length >= count
          ? rows.map((r) => ({
              ...r,
              ms: Number(r.ms),
              revenue: Number(r.revenue),
              is_bot: Number(r.is_bot),
            }))
          : undefined;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: `${count} events in ClickHouse (${seen} so far)\n${pipeline.output()}`,
      },
    );
  } finally {
    await clickhouse.close();
  }
}

/** The identity links the processor stored: anonymous id → user id. */
export async function storedIdentities(
  pipeline: PeerPipeline,
): Promise<{ anonymous_id: string; user_id: string }[]> {
  const clickhouse = testClickHouse();
  try {
    const result = await clickhouse.query({
      query: `SELECT DISTINCT anonymous_id, user_id FROM ${pipeline.database}.identities
              WHERE project_id = {project:String} ORDER BY anonymous_id`,
      query_params: { project: pipeline.projectId },
      format: 'JSONEachRow',
    });
    return await result.json();
  } finally {
    await clickhouse.close();
  }
}
