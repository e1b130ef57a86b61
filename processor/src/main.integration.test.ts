import { eventually, freePort, type ServiceProcess, startService } from '@waymark/test-harness';
import { afterEach, expect, it } from 'vitest';

// Needs processor/dist (npx turbo run build --filter=@waymark/processor...).
const started: ServiceProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
});

it('refuses bad settings with one error that lists each of them', async () => {
  const processor = startService('processor', {
    CLICKHOUSE_URL: 'nope',
    PROCESSOR_BATCH_MS: '-1',
    KAFKA_SESSION_TIMEOUT_MS: 'soon',
  });
  started.push(processor);
  // SIGCONT changes nothing for a running process: this only waits for the exit.
  expect(await processor.stop('SIGCONT')).toBe(1);
  const output = processor.output();
  expect(output).toContain('invalid processor config — fix:');
  for (const name of ['CLICKHOUSE_URL', 'PROCESSOR_BATCH_MS', 'KAFKA_SESSION_TIMEOUT_MS']) {
    expect(output).toContain(name);
  }
});

it('waits for an unreachable ClickHouse, reporting not ready, and stops cleanly meanwhile', async () => {
  const port = await freePort();
  const processor = startService('processor', {
    CLICKHOUSE_URL: `http://127.0.0.1:${await freePort()}`,
    PROCESSOR_PORT: String(port),
    PROCESSOR_RETRY_MAX_MS: '500',
  });
  started.push(processor);
  const body = await eventually(
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
    },
    { what: `/health (${processor.output()})` },
  );
  expect(body).toMatchObject({ code: 'WAYMARK_ERR_NOT_READY', phase: 'starting' });
  expect(await processor.stop('SIGTERM')).toBe(0);
});
