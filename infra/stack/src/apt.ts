import { spawnSync } from 'node:child_process';
import { StackError } from './config.js';

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs Debian packages when a binary is missing. Only as root: otherwise the error says
 * exactly what to install, because a silent sudo prompt in a test run helps nobody.
 */
export function ensureDebianPackage(binary: string, pkg: string, purpose: string): void {
  if (commandExists(binary)) return;
  const fix = `install it with: sudo apt-get install -y ${pkg}`;
  if (!commandExists('apt-get')) {
    throw new StackError(
      `${binary} (${purpose}) is missing and this is not a Debian/Ubuntu system — ${fix.replace('sudo apt-get install -y', 'your package manager:')}`,
    );
  }
  if (process.getuid?.() !== 0) throw new StackError(`${binary} (${purpose}) is missing — ${fix}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) =>
    spawnSync('apt-get', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env });
  let result = run(['install', '-y', '-q', '--no-install-recommends', pkg]);
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    run(['update', '-q']);
    result = run(['install', '-y', '-q', '--no-install-recommends', pkg]);
  }
  if (result.status !== 0 || !commandExists(binary)) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ');
    throw new StackError(`apt-get could not install ${pkg}: ${tail}`);
  }
}
