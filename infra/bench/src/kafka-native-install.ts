/**
 * `@confluentinc/kafka-javascript` (librdkafka) for the Kafka client benchmark only: not a
 * workspace dependency, because its install builds librdkafka from source here (its prebuilt
 * binary is downloaded from GitHub, which this machine cannot reach) and that takes minutes.
 *
 * It is installed once into its own directory in the stack's cache dir (git-ignored, shared by
 * worktrees through WAYMARK_CACHE_DIR), keyed by its version and the Node.js ABI, and reused:
 * - Debian's -dev packages librdkafka links against are installed with apt-get when missing (as
 *   root; otherwise the error names the command to run);
 * - `npm install` runs in that directory with `CKJS_LINKING=dynamic`, so librdkafka's configure
 *   links those system libraries instead of downloading zlib/OpenSSL/zstd sources; the directory's
 *   own package.json allows exactly this package's install script (npm's `allowScripts`);
 * - the build goes into a staging directory and is renamed into place only once the addon loads,
 *   so a failed or interrupted build is never reused.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadStackConfig } from '@waymark/stack/config';
import { z } from 'zod';

export const NATIVE_KAFKA = {
  name: '@confluentinc/kafka-javascript',
  version: '1.10.1',
} as const;

/** What librdkafka's configure links against with CKJS_LINKING=dynamic (Debian 12 names). */
export const NATIVE_KAFKA_DEBIAN_PACKAGES = [
  'zlib1g-dev',
  'libssl-dev',
  'libzstd-dev',
  'liblz4-dev',
  'libsasl2-dev',
  'libcurl4-openssl-dev',
  'pkg-config',
  'g++',
  'make',
] as const;

/** The longest a build may take before it is reported as failed (about 3 min on 2 cores). */
const BUILD_TIMEOUT_MS = 20 * 60_000;
const MARKER = 'waymark-install.json';

/** Why the native client could not be installed: one line that says what to fix. */
export class NativeKafkaInstallError extends Error {
  override readonly name = 'NativeKafkaInstallError';
}

const markerSchema = z.object({
  package: z.string(),
  version: z.string(),
  librdkafka: z.string(),
  builtAt: z.string(),
  buildSeconds: z.number(),
});
export type NativeKafkaInstall = z.infer<typeof markerSchema> & {
  /** The directory whose node_modules holds the package (for createRequire). */
  dir: string;
  /** Whether this call built it (false: an earlier build was reused). */
  builtNow: boolean;
};

/** The install directory for this version on this Node.js ABI, platform and architecture. */
export function nativeKafkaDir(cacheDir = loadStackConfig().cacheDir): string {
  const abi = `node-v${process.versions.modules}-${process.platform}-${process.arch}`;
  return join(cacheDir, `confluent-kafka-javascript-${NATIVE_KAFKA.version}-${abi}`);
}

/** The earlier build in `dir`, if one completed there. */
export function installedNativeKafka(dir = nativeKafkaDir()): NativeKafkaInstall | undefined {
  const marker = join(dir, MARKER);
  if (!existsSync(marker)) return undefined;
  const parsed = markerSchema.safeParse(JSON.parse(readFileSync(marker, 'utf8')));
  if (!parsed.success || parsed.data.version !== NATIVE_KAFKA.version) return undefined;
  return { ...parsed.data, dir, builtNow: false };
}

const isInstalled = (pkg: string) =>
  /^Status: install ok installed$/m.test(
    spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' }).stdout ?? '',
  );

/** apt-get installs whichever of the build's Debian packages are missing; none: no apt call. */
function ensureDebianPackages(log: (line: string) => void): void {
  if (spawnSync('sh', ['-c', 'command -v dpkg'], { stdio: 'ignore' }).status !== 0) {
    throw new NativeKafkaInstallError(
      `not a Debian/Ubuntu system: install the equivalents of ${NATIVE_KAFKA_DEBIAN_PACKAGES.join(' ')} and retry`,
    );
  }
  const missing = NATIVE_KAFKA_DEBIAN_PACKAGES.filter((p) => !isInstalled(p));
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new NativeKafkaInstallError(
      `missing Debian packages ${missing.join(', ')}: sudo ${command}`,
    );
  }
  log(`native kafka client: ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) =>
    spawnSync('apt-get', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env });
  const install = ['install', '-y', '-q', '--no-install-recommends', ...missing];
  let result = apt(install);
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    apt(['update', '-q']);
    result = apt(install);
  }
  const still = missing.filter((p) => !isInstalled(p));
  if (result.status !== 0 || still.length > 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ');
    throw new NativeKafkaInstallError(`apt-get could not install ${still.join(', ')}: ${tail}`);
  }
}

/**
 * The environment of the nested npm: the variables npm sets for the script that runs the bench
 * (its package, lifecycle, local prefix) removed; the user's npm settings kept.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CKJS_LINKING: 'dynamic' };
  for (const [k, v] of Object.entries(process.env)) {
    const npmRun = /^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(k);
    if (!npmRun) env[k] ??= v;
  }
  return env;
}

/** The lines of an npm log that say why it failed (npm's `npm error` lines, else the last ones). */
function failureLines(logFile: string): string {
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  const errors = lines.filter((l) => /^npm (error|ERR!)|\berror\b:/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(-4).join(' | ');
}

function run(command: string, args: string[], cwd: string, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, { cwd, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      out.end(() => resolve(signal ? -1 : (code ?? -1)));
    });
  });
}

/** Loads the built addon in a separate process and returns librdkafka's version. */
function probeAddon(dir: string): string {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const m = require(require('node:module').createRequire(${JSON.stringify(join(dir, 'package.json'))}).resolve(${JSON.stringify(NATIVE_KAFKA.name)})); process.stdout.write(m.librdkafkaVersion)`,
    ],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    const why =
      probe.stderr
        .trim()
        .split('\n')
        .find((l) => /Error/.test(l)) ?? probe.stderr;
    throw new NativeKafkaInstallError(`the built addon does not load: ${why.trim()}`);
  }
  return probe.stdout.trim();
}

/**
 * The installed native client, built now if no earlier build completed (`force`: rebuild anyway).
 * Throws a NativeKafkaInstallError that says why when it cannot be installed.
 */
export async function ensureNativeKafka(
  log: (line: string) => void,
  { force = false, dir = nativeKafkaDir() }: { force?: boolean; dir?: string } = {},
): Promise<NativeKafkaInstall> {
  const earlier = force ? undefined : installedNativeKafka(dir);
  if (earlier) return earlier;
  ensureDebianPackages(log);
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await writeFile(
    join(staging, 'package.json'),
    `${JSON.stringify(
      {
        name: 'waymark-bench-native-kafka',
        private: true,
        description:
          'Built by infra/bench (kafka-native-install.ts) for the Kafka client bench only',
        dependencies: { [NATIVE_KAFKA.name]: NATIVE_KAFKA.version },
        allowScripts: { [NATIVE_KAFKA.name]: true },
      },
      null,
      2,
    )}\n`,
  );
  const logFile = join(staging, 'install.log');
  log(
    `native kafka client: building ${NATIVE_KAFKA.name}@${NATIVE_KAFKA.version} from source with ` +
      `CKJS_LINKING=dynamic (a few minutes; log: ${logFile})`,
  );
  const started = performance.now();
  // --foreground-scripts: the build's output goes to the log; no lockfile, no audit, no funding.
  const code = await run(
    'npm',
    ['install', '--foreground-scripts', '--no-audit', '--no-fund', '--no-package-lock'],
    staging,
    logFile,
  );
  const buildSeconds = Math.round((performance.now() - started) / 1000);
  if (code !== 0) {
    throw new NativeKafkaInstallError(
      `npm install ${NATIVE_KAFKA.name}@${NATIVE_KAFKA.version} failed (exit ${code}) after ` +
        `${buildSeconds} s: ${failureLines(logFile)} (full log: ${logFile})`,
    );
  }
  const addon = join(
    staging,
    'node_modules',
    NATIVE_KAFKA.name,
    'build/Release/confluent-kafka-javascript.node',
  );
  if (!existsSync(addon)) {
    throw new NativeKafkaInstallError(
      `npm install finished but built no addon (its install script did not run: check npm's ` +
        `allowScripts / ignore-scripts settings; log: ${logFile})`,
    );
  }
  const librdkafka = probeAddon(staging);
  const marker = {
    package: NATIVE_KAFKA.name,
    version: NATIVE_KAFKA.version,
    librdkafka,
    builtAt: new Date().toISOString(),
    buildSeconds,
  };
  await writeFile(join(staging, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  log(`native kafka client: built in ${buildSeconds} s (librdkafka ${librdkafka}) into ${dir}`);
  return { ...marker, dir, builtNow: true };
}
