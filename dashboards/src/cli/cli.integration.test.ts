import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboardsConfig } from '../config.js';
import { createQueries, type Queries } from '../queries/index.js';
import { funnelParams } from '../queries/params.js';
import { freshDatabase, insertRows } from '../test/database.js';
import { eventRow } from '../test/events.js';
import { journeyEvents, journeyIdentities } from '../test/journeys.js';
import { runQueryCommand, UsageError } from './run.js';

let client: ClickHouseClient;
let queries: Queries;
const config = loadDashboardsConfig({
  WAYMARK_PROJECTS: JSON.stringify([
    { id: 'p1', writeKey: 'wk_p1_writer', readKeys: ['rk_p1_reader_0123456789abcdefghij'] },
  ]),
});
const range = ['--from', '2026-11-01', '--to', '2026-11-30'];

beforeAll(async () => {
  let database: string;
  ({ client, database } = await freshDatabase('dash_cli'));
  const hostile = eventRow({
    anonymous_id: 'h1',
    session_id: 'sh',
    timestamp: '2026-11-20 10:00:00',
    page_path: '/\u001b[31mred\u001b[0m,=cmd|calc',
  });
  await insertRows(client, database, [...journeyEvents(), hostile], journeyIdentities());
  queries = createQueries(client, database);
});

afterAll(async () => {
  await client?.close();
});

const run = (command: Parameters<typeof runQueryCommand>[0], args: string[]) =>
  runQueryCommand(command, args, { config, queries });

describe('waymark CLI', () => {
  it('prints the funnel as a table, and --json is the API result', async () => {
    const table = await run('funnel', range);
    expect(table).toMatch(/^\(all\)\s+awareness\s+7\s/m);
    expect(table).toMatch(/^\(all\)\s+retention\s+1\s+33\.3%\s+14\.3%\s+2\s+66\.7%\s+3\.0d$/m);
    const json = JSON.parse(await run('funnel', [...range, '--json']));
    expect(json).toEqual(
      await queries.funnel(
        { projectId: 'p1', rules: config.projects[0]!.rules, sessionTimeoutMs: 30 * 60_000 },
        funnelParams.parse({ from: '2026-11-01', to: '2026-11-30' }),
      ),
    );
  });

  it('answers every command, with filters and options', async () => {
    expect(
      await run('funnel', [...range, '--breakdown', 'first_channel', '--channel', 'paid']),
    ).toMatch(/^paid\s+transaction\s+1\s/m);
    expect(await run('dropoff', [...range, '--stage', 'engagement'])).toMatch(
      /stopped\s+1\s+track\s+signed_up\s+1\s+100\.0%/,
    );
    const attribution = await run('attribution', [
      ...range,
      '--model',
      'linear',
      '--model',
      'first_touch',
    ]);
    expect(attribution).toMatch(/^paid\s+1\.5\s+115\s+2\s+130$/m);
    expect(await run('channels', [...range, '--interval', 'week'])).toMatch(
      /^2026-11-09\s+\(all\)\s+1\s+4\s+1$/m,
    );
    expect(await run('retention', [...range, '--weeks', '2'])).toMatch(
      /^2026-11-02\s+email\s+1\s+100\.0%\s+0\.0%\s+100\.0%$/m,
    );
  });

  it('writes CSV and keeps hostile page paths inert in tables and CSV', async () => {
    const csv = await run('dropoff', [...range, '--csv']);
    expect(csv.split('\r\n')[0]).toBe(
      'channel,outcome,outcome people,kind,last page / event,people,share',
    );
    expect(csv).toContain('"/\u001b[31mred\u001b[0m,=cmd|calc"');
    const table = await run('dropoff', range);
    expect(table).toContain('/\\x1b[31mred\\x1b[0m,=cmd|calc');
    expect(table).not.toContain('\u001b');
  });

  it('refuses bad flags and values with the flag named', async () => {
    await expect(run('funnel', [...range, '--breakdown', 'os'])).rejects.toThrow(/--breakdown/);
    await expect(run('funnel', [...range, '--nope'])).rejects.toThrow(UsageError);
    await expect(run('funnel', [...range, '--interval', 'day'])).rejects.toThrow(
      /--interval.*not an option of funnel/,
    );
    await expect(run('attribution', [...range, '--half-life', '0'])).rejects.toThrow(/--half-life/);
    await expect(run('funnel', [...range, '--json', '--csv'])).rejects.toThrow(/one of/);
  });

  it('says so when there is nothing to show', async () => {
    expect(await run('funnel', ['--from', '2020-01-01', '--to', '2020-01-02'])).toMatch(
      /^\(all\)\s+awareness\s+0/m,
    );
    expect(await run('channels', ['--from', '2020-01-01', '--to', '2020-01-02'])).toBe(
      'no data for this range and filters',
    );
  });
});
