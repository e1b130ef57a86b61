import { describe, expect, it } from 'vitest';
import { ConfigError, loadDashboardsConfig } from './config.js';
import { DEFAULT_STAGE_RULES } from './queries/stages.js';

describe('loadDashboardsConfig', () => {
  it('defaults to the demo project on 127.0.0.1:8789', () => {
    const config = loadDashboardsConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8789,
      clickhouse: { database: 'waymark' },
    });
    expect(config.projects).toHaveLength(1);
    expect(config.projects[0]).toMatchObject({
      id: 'demo',
      readKeys: ['rk_demo_local_only_never_a_secret'],
      disabled: false,
      rules: DEFAULT_STAGE_RULES,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads stage rules per project, with defaults for what is not set', () => {
    const config = loadDashboardsConfig({
      WAYMARK_STAGE_RULES: JSON.stringify({ demo: { retention: { afterDays: 7 } } }),
    });
    expect(config.projects[0]?.rules.retention).toEqual({ afterDays: 7, events: [] });
    expect(config.projects[0]?.rules.transaction).toEqual(DEFAULT_STAGE_RULES.transaction);
  });

  it('lists every problem in one error', () => {
    const attempt = () =>
      loadDashboardsConfig({
        DASHBOARDS_PORT: 'eighty',
        CLICKHOUSE_DATABASE: 'x; DROP',
        WAYMARK_STAGE_RULES: '{"demo":{"retention":{"afterDays":0}}}',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DASHBOARDS_PORT.*CLICKHOUSE_DATABASE.*WAYMARK_STAGE_RULES/);
  });

  it('takes ClickHouse over http or https only, with credentials', () => {
    const config = loadDashboardsConfig({
      CLICKHOUSE_URL: 'https://ch.example.internal:8443',
      CLICKHOUSE_USER: 'waymark_reader',
      CLICKHOUSE_PASSWORD: 's3cret',
    });
    expect(config.clickhouse).toMatchObject({
      url: 'https://ch.example.internal:8443',
      username: 'waymark_reader',
      password: 's3cret',
    });
    expect(() => loadDashboardsConfig({ CLICKHOUSE_URL: 'tcp://127.0.0.1:9000' })).toThrow(
      /CLICKHOUSE_URL: an http:\/\/ or https:\/\/ URL/,
    );
  });

  it('refuses stage rules for unknown projects and bad project lists', () => {
    expect(() => loadDashboardsConfig({ WAYMARK_STAGE_RULES: '{"nope":{}}' })).toThrow(
      /unknown projects: nope/,
    );
    expect(() => loadDashboardsConfig({ WAYMARK_PROJECTS: '[{"id":"Bad"}]' })).toThrow(ConfigError);
  });
});
