import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
