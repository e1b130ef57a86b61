import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCollectorConfig } from './config.js';
import { loadProjects, ProjectRegistry, ProjectsConfigError } from './projects.js';

describe('loadProjects', () => {
  it('defaults to the demo project with its write and read keys', () => {
    const [demo] = loadProjects({});
    expect(demo).toEqual({
      id: 'demo',
      writeKeys: ['wk_demo_local'],
      readKeys: ['rk_demo_local'],
      allowedOrigins: ['*'],
      keepIp: false,
      disabled: false,
    });
  });

  it('reads JSON from the environment, accepting the one-key shorthand', () => {
    const projects = loadProjects({
      WAYMARK_PROJECTS: '[{"id":"skeleton","writeKey":"wk_skeleton_test"}]',
    });
    expect(projects[0]?.writeKeys).toEqual(['wk_skeleton_test']);
    const registry = new ProjectRegistry(projects);
    expect(registry.byWriteKey('wk_skeleton_test')?.id).toBe('skeleton');
    expect(registry.byReadKey('wk_skeleton_test')).toBeUndefined();
  });

  it('reads a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'waymark-projects-')), 'projects.json');
    writeFileSync(
      file,
      JSON.stringify([{ id: 'a', writeKeys: ['wk_aaaaaaaa'], readKeys: ['rk_aaaaaaaa'] }]),
    );
    const registry = new ProjectRegistry(loadProjects({ WAYMARK_PROJECTS_FILE: file }));
    expect(registry.byReadKey('rk_aaaaaaaa')?.id).toBe('a');
  });

  it('lists every problem in one error', () => {
    const bad = JSON.stringify([
      { id: 'Bad Id', writeKeys: ['short'] },
      { id: 'b', writeKeys: ['wk_shared_key'], allowedOrigins: ['shop.example'] },
      { id: 'c', writeKeys: ['wk_shared_key'] },
      { id: 'd' },
    ]);
    expect(() => loadProjects({ WAYMARK_PROJECTS: bad })).toThrow(ProjectsConfigError);
    try {
      loadProjects({ WAYMARK_PROJECTS: bad });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('projects.0.id');
      expect(message).toContain('projects.0.writeKeys.0: at least 8 characters');
      expect(message).toContain('projects.1.allowedOrigins.0');
      expect(message).toContain('used twice');
      expect(message).toContain('needs at least one write key');
    }
    expect(() => loadProjects({ WAYMARK_PROJECTS: '[', WAYMARK_PROJECTS_FILE: 'x' })).toThrow(
      'not both',
    );
    expect(() => loadProjects({ WAYMARK_PROJECTS: '[' })).toThrow('must be JSON');
  });
});

describe('loadCollectorConfig', () => {
  it('reports env and project problems together', () => {
    expect(() => loadCollectorConfig({ COLLECTOR_PORT: 'eighty', WAYMARK_PROJECTS: '[]' })).toThrow(
      ConfigError,
    );
    try {
      loadCollectorConfig({ COLLECTOR_PORT: 'eighty', WAYMARK_PROJECTS: '[]' });
    } catch (err) {
      expect((err as Error).message).toMatch(
        /COLLECTOR_PORT: .*; invalid WAYMARK_PROJECTS .*at least one project/,
      );
    }
  });

  it('parses proxies, limits and Kafka settings', () => {
    const config = loadCollectorConfig({
      COLLECTOR_TRUST_PROXY: '10.0.0.1, 10.0.0.2',
      KAFKA_BROKERS: 'a:9092, b:9092',
      KAFKA_COMPRESSION: 'none',
    });
    expect(config.trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(config.kafka).toMatchObject({
      brokers: ['a:9092', 'b:9092'],
      eventsTopic: 'waymark.events',
      invalidEventsTopic: 'waymark.events.invalid',
      compression: 'none',
    });
    expect(loadCollectorConfig({ COLLECTOR_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(Object.isFrozen(config)).toBe(true);
  });
});
