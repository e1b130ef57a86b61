import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  clickhouseEnv,
  clickhouseServer,
  flag,
  int,
  kafkaEnv,
  loadConfig,
  logEnv,
} from './config.js';

const schema = z.object({
  ...logEnv,
  ...kafkaEnv,
  ...clickhouseEnv,
  APP_PORT: int(0, 65535, 8080),
  APP_MIN: int(0, 100, 1),
  APP_MAX: int(0, 100, 10),
  APP_ENABLED: flag(true),
});

const spec = {
  service: 'example',
  schema,
  build: (
    e: z.output<typeof schema>,
    _read: undefined,
    problem: (n: string, m: string) => void,
  ) => {
    if (e.APP_MIN > e.APP_MAX) problem('APP_MIN', 'must not exceed APP_MAX');
    return {
      port: e.APP_PORT,
      enabled: e.APP_ENABLED,
      logLevel: e.LOG_LEVEL,
      brokers: e.KAFKA_BROKERS,
      clickhouse: clickhouseServer(e),
    };
  },
};

class ReadError extends Error {}

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the defaults of the shared fragments, frozen all the way down', () => {
    const config = loadConfig(spec, {});
    expect(config).toEqual({
      port: 8080,
      enabled: true,
      logLevel: 'info',
      brokers: ['127.0.0.1:9092'],
      clickhouse: {
        url: 'http://127.0.0.1:8123',
        username: 'default',
        password: '',
        database: 'waymark',
      },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.clickhouse)).toBe(true);
    expect(Object.isFrozen(config.brokers)).toBe(true);
  });

  it('splits brokers and reads credentials', () => {
    const config = loadConfig(spec, {
      KAFKA_BROKERS: 'a:9092, b:9092',
      CLICKHOUSE_URL: 'https://ch.example:8443',
      CLICKHOUSE_USER: 'reader',
      CLICKHOUSE_PASSWORD: 's3cret',
      APP_ENABLED: 'false',
    });
    expect(config.brokers).toEqual(['a:9092', 'b:9092']);
    expect(config.clickhouse).toMatchObject({ url: 'https://ch.example:8443', username: 'reader' });
    expect(config.enabled).toBe(false);
  });

  it('lists every problem in one error that names the service and what to fix', () => {
    const load = () =>
      loadConfig(spec, {
        LOG_LEVEL: 'loud',
        CLICKHOUSE_URL: 'tcp://127.0.0.1:9000',
        CLICKHOUSE_USER: '',
        CLICKHOUSE_DATABASE: 'x; DROP',
        APP_PORT: 'eighty',
        APP_ENABLED: 'yes',
      });
    expect(load).toThrow(/^invalid example config — fix: LOG_LEVEL: /);
    expect(problemsOf(load).map((p) => p.split(':')[0])).toEqual([
      'LOG_LEVEL',
      'CLICKHOUSE_URL',
      'CLICKHOUSE_USER',
      'CLICKHOUSE_DATABASE',
      'APP_PORT',
      'APP_ENABLED',
    ]);
    expect(load).toThrow(/CLICKHOUSE_URL: an http:\/\/ or https:\/\/ URL/);
    expect(load).toThrow(/APP_ENABLED: must be true or false/);
  });

  it('checks across fields once each field is valid', () => {
    expect(problemsOf(() => loadConfig(spec, { APP_MIN: '50', APP_MAX: '5' }))).toEqual([
      'APP_MIN: must not exceed APP_MAX',
    ]);
  });

  it('lists the errors of a separate reader with the schema’s problems, and lets others escape', () => {
    const load = () =>
      loadConfig(
        {
          ...spec,
          read: () => {
            throw new ReadError('invalid WAYMARK_PROJECTS — fix: at least one project');
          },
          readErrors: [ReadError],
        },
        { APP_PORT: 'eighty' },
      );
    expect(problemsOf(load)).toEqual([
      expect.stringMatching(/^APP_PORT: /),
      'invalid WAYMARK_PROJECTS — fix: at least one project',
    ]);
    const bug = () =>
      loadConfig({
        ...spec,
        read: () => {
          throw new TypeError('a bug, not a setting');
        },
        readErrors: [ReadError],
      });
    expect(bug).toThrow(TypeError);
  });

  describe('WAYMARK_CONFIG_FILE', () => {
    const file = (content: string) => {
      const path = join(mkdtempSync(join(tmpdir(), 'kit-config-')), 'config.json');
      writeFileSync(path, content);
      return path;
    };

    it('reads settings from a JSON file, the environment winning', () => {
      const path = file(JSON.stringify({ APP_PORT: 9000, LOG_LEVEL: 'debug', APP_ENABLED: false }));
      const config = loadConfig(spec, { WAYMARK_CONFIG_FILE: path, LOG_LEVEL: 'warn' });
      expect(config).toMatchObject({ port: 9000, logLevel: 'warn', enabled: false });
    });

    it('reports an unreadable file, a name the service does not read and a bad value', () => {
      expect(
        problemsOf(() => loadConfig(spec, { WAYMARK_CONFIG_FILE: '/nonexistent/waymark.json' })),
      ).toEqual([expect.stringMatching(/^WAYMARK_CONFIG_FILE: cannot read \/nonexistent/)]);
      const path = file(JSON.stringify({ APP_PROT: 9000, APP_PORT: [1], APP_MAX: 'many' }));
      expect(problemsOf(() => loadConfig(spec, { WAYMARK_CONFIG_FILE: path }))).toEqual([
        `WAYMARK_CONFIG_FILE: ${path} sets APP_PROT, which this service does not read`,
        `APP_PORT: in ${path}, must be a string, number or boolean`,
        expect.stringMatching(/^APP_MAX: /),
      ]);
      expect(problemsOf(() => loadConfig(spec, { WAYMARK_CONFIG_FILE: file('[1]') }))).toEqual([
        expect.stringMatching(/must hold one JSON object of settings$/),
      ]);
    });
  });
});
