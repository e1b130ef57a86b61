/**
 * `waymark keys new`: a fresh write key, read key and admin key (24 random bytes each,
 * base64url, after `wk_` / `rk_` / `ak_`), printed as the JSON fields of a project in
 * WAYMARK_PROJECTS. Needs no settings and no service: keys are made where they are configured,
 * never sent anywhere.
 */
import { generateKey } from '@waymark/contract/projects';
import { UsageError } from './flags.js';

export const KEYS_USAGE = `usage: waymark keys new

prints a new write key, read key and admin key (192 random bits each) as the JSON fields of a
project:
  {"writeKeys":["wk_…"],"readKeys":["rk_…"],"adminKeys":["ak_…"]}
add them to the project in WAYMARK_PROJECTS (or WAYMARK_PROJECTS_FILE); the read key and the
admin key (erasure) are secrets, the write key ships in web pages`;

export function runKeysCommand(args: readonly string[]): string {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') return KEYS_USAGE;
  if (sub !== 'new' || rest.length > 0) throw new UsageError(KEYS_USAGE);
  return JSON.stringify({
    writeKeys: [generateKey('write')],
    readKeys: [generateKey('read')],
    adminKeys: [generateKey('admin')],
  });
}
