import { eventually, freePort, startService, testServices } from '@waymark/test-harness';
import { expect, it } from 'vitest';

// A read key is a secret: logs are shipped and kept where it must not be.
it('never writes a read key to its log', async () => {
  const port = await freePort();
  const readKey = 'rk_main_test_0123456789abcdefghijklmnop';
  const service = startService('dashboards', {
    DASHBOARDS_PORT: String(port),
    LOG_LEVEL: 'info',
    CLICKHOUSE_URL: testServices().clickhouseUrl,
    WAYMARK_PROJECTS: JSON.stringify([{ id: 'p1', writeKey: 'wk_main_test', readKeys: [readKey] }]),
  });
  try {
    await eventually(
      async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined),
      { what: `dashboards /health (${service.output()})` },
    );
    await eventually(async () => (service.output().includes('dashboard http') ? true : undefined), {
      what: 'the start line',
    });
    expect(service.output()).not.toContain(readKey);
  } finally {
    await service.stop();
  }
});
