import { afterEach, describe, expect, it } from 'vitest';
import { HealthState } from '../health.js';
import { createMetrics } from '../metrics.js';
import { buildApp } from './app.js';

const apps: ReturnType<typeof buildApp>[] = [];
function app(health = new HealthState()) {
  const metrics = createMetrics();
  const built = buildApp({ health, metrics });
  apps.push(built);
  return { app: built, metrics, health };
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

describe('GET /health', () => {
  it('is 503 with a coded body until the consumer runs', async () => {
    const res = await app().app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'WAYMARK_ERR_NOT_READY',
      phase: 'starting',
    });
  });

  it('is 200 ok while running, and degraded (still 200) while ClickHouse is retried', async () => {
    const health = new HealthState();
    health.phase = 'running';
    const { app: server } = app(health);
    expect((await server.inject({ method: 'GET', url: '/health' })).json()).toEqual({
      status: 'ok',
      phase: 'running',
      clickhouse: 'up',
      kafka: 'up',
    });
    health.retrying('clickhouse', 'connect ECONNREFUSED');
    const res = await server.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'degraded',
      phase: 'running',
      clickhouse: 'retrying',
      kafka: 'up',
      lastError: 'clickhouse: connect ECONNREFUSED',
    });
    expect(health.recovered('clickhouse')).toBe(true);
    expect((await server.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
      status: 'ok',
    });
  });
});

describe('GET /health when loading stalls', () => {
  it('turns 503 once no progress was made for the stall timeout while there is lag', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const health = new HealthState({ stallTimeoutMs: 60_000, now: () => now });
    health.phase = 'running';
    const { app: server } = app(health);
    const status = async () => (await server.inject({ method: 'GET', url: '/health' })).statusCode;

    // Idle: no lag, however long nothing is loaded.
    health.lagMeasured(0);
    now += 3_600_000;
    expect(await status()).toBe(200);

    // Lag appears and nothing loads (a dead-letter send retried forever, a ClickHouse outage).
    health.lagMeasured(0);
    health.lagMeasured(500);
    health.retrying('kafka', 'The request included a message larger than the max message size');
    now += 59_000;
    expect(await status()).toBe(200);
    now += 2000;
    const res = await server.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      statusCode: 503,
      code: 'WAYMARK_ERR_STALLED',
      phase: 'running',
      kafka: 'retrying',
      lag: 500,
    });
    expect(res.json().message).toMatch(/no progress for 61 s.*500 messages/);

    // A flush completes: healthy again.
    health.madeProgress();
    expect(await status()).toBe(200);
  });
});

describe('GET /metrics', () => {
  it('exposes the loader metrics in Prometheus text', async () => {
    const { app: server, metrics } = app();
    metrics.consumerLag.set({ topic: 't', partition: '0' }, 12);
    metrics.deadLetters.inc({ stage: 'parse' });
    metrics.recordInsertedRows(50);
    const res = await server.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('waymark_processor_consumer_lag{topic="t",partition="0"} 12');
    expect(res.body).toContain('waymark_processor_dead_letters_total{stage="parse"} 1');
    expect(res.body).toContain('waymark_processor_rows_per_second 5');
    for (const name of [
      'waymark_processor_rows_inserted_total',
      'waymark_processor_insert_duration_seconds',
      'waymark_processor_retries_total',
    ]) {
      expect(res.body).toContain(`# TYPE ${name}`);
    }
  });
});

describe('errors', () => {
  it('answers unknown routes with the uniform error body', async () => {
    const res = await app().app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'WAYMARK_ERR_NOT_FOUND',
      message: 'no endpoint GET /nope',
    });
  });
});
