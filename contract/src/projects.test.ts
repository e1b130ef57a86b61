import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateKey,
  loadProjects,
  MIN_READ_KEY_LENGTH,
  ProjectRegistry,
  ProjectsConfigError,
} from './projects.js';

const READ_KEY = `rk_${'a'.repeat(32)}`;

describe('read keys', () => {
  it('refuses a read key too short to hold 128 bits, saying how to generate one', () => {
    const withReadKey = (readKey: string) => () =>
      loadProjects({
        WAYMARK_PROJECTS: JSON.stringify([
          { id: 'a', writeKey: 'wk_aaaaaaaa', readKeys: [readKey] },
        ]),
      });
    // The 8-character keys that were guessed at 2,277 attempts per second.
    expect(withReadKey('rk_12345')).toThrow(/projects\.0\.readKeys\.0: .*waymark keys new/);
    expect(withReadKey('r'.repeat(MIN_READ_KEY_LENGTH - 1))).toThrow(ProjectsConfigError);
    expect(withReadKey('r'.repeat(MIN_READ_KEY_LENGTH))).not.toThrow();
    // 32 characters hold 128 bits as hex (4 bits each), the leanest encoding of a random key.
    expect(MIN_READ_KEY_LENGTH * 4).toBeGreaterThanOrEqual(128);
  });

  it('generates keys of 192 random bits, base64url after a prefix, that the schema accepts', () => {
    const keys = Array.from({ length: 100 }, () => generateKey('read'));
    expect(new Set(keys).size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
    expect(generateKey('write')).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
    const [project] = loadProjects({
      WAYMARK_PROJECTS: JSON.stringify([
        { id: 'a', writeKey: generateKey('write'), readKeys: [generateKey('read')] },
      ]),
    });
    expect(project?.readKeys[0]).toMatch(/^rk_/);
  });
});

describe('loadProjects', () => {
  it('defaults to the demo project with its write and read keys', () => {
    const [demo] = loadProjects({});
    expect(demo).toEqual({
      id: 'demo',
      writeKeys: ['wk_demo_local'],
      readKeys: ['rk_demo_local_only_never_a_secret'],
      adminKeys: [],
      allowedOrigins: ['*'],
      keepIp: false,
      disabled: false,
      sessionTimeoutMinutes: 30,
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
      JSON.stringify([{ id: 'a', writeKeys: ['wk_aaaaaaaa'], readKeys: [READ_KEY] }]),
    );
    const registry = new ProjectRegistry(loadProjects({ WAYMARK_PROJECTS_FILE: file }));
    expect(registry.byReadKey(READ_KEY)?.id).toBe('a');
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
