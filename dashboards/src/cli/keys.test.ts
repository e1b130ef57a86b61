import { loadProjects } from '@waymark/contract/projects';
import { describe, expect, it } from 'vitest';
import { runKeysCommand } from './keys.js';
import { UsageError } from './run.js';

describe('waymark keys new', () => {
  it('prints a project fragment with a new write and read key that the config accepts', () => {
    const fields = JSON.parse(runKeysCommand(['new']));
    expect(fields).toEqual({
      writeKeys: [expect.stringMatching(/^wk_[A-Za-z0-9_-]{32}$/)],
      readKeys: [expect.stringMatching(/^rk_[A-Za-z0-9_-]{32}$/)],
      adminKeys: [expect.stringMatching(/^ak_[A-Za-z0-9_-]{32}$/)],
    });
    const [project] = loadProjects({
      WAYMARK_PROJECTS: JSON.stringify([{ id: 'shop', ...fields }]),
    });
    expect(project?.readKeys).toEqual(fields.readKeys);
    expect(project?.adminKeys).toEqual(fields.adminKeys);
    expect(JSON.parse(runKeysCommand(['new'])).readKeys).not.toEqual(fields.readKeys);
  });

  it('refuses anything else with its usage', () => {
    expect(() => runKeysCommand([])).toThrow(UsageError);
    expect(() => runKeysCommand(['old'])).toThrow(/waymark keys new/);
    expect(runKeysCommand(['--help'])).toContain('usage: waymark keys new');
  });
});
