/**
 * The package boundaries, checked from the files themselves (pure: reads package.json files and
 * sources, starts nothing):
 * - a service (sdk, collector, processor, dashboards) depends on no other service — only on the
 *   shared `@waymark/contract` and `@waymark/kit`, and, dev-only, on `@waymark/test-harness`;
 * - no relative import leaves its package (`../../other-package/src/…`): import it by name;
 * - every `@waymark/*` import is declared in the importing package's package.json.
 * `npm run check:boundaries` prints the graph; boundaries.test.ts fails on a new violation.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const SERVICES = [
  '@waymark/sdk',
  '@waymark/collector',
  '@waymark/processor',
  '@waymark/dashboards',
] as const;

/** What a service may depend on at run time. */
export const SHARED_PACKAGES = ['@waymark/contract', '@waymark/kit'] as const;

/** What a service may depend on for its tests only. */
export const TEST_HARNESS = '@waymark/test-harness';

/** Packages every test or service build may pull in: they must not pull in a service (a cycle). */
const SERVICE_FREE = ['@waymark/stack', TEST_HARNESS, ...SHARED_PACKAGES];

/**
 * Violations that exist on main today and that issue 13's contract and kit work removes. The
 * check fails on any violation not listed here, and on a listed one that is gone (so the list
 * only shrinks). Lead: empty both lists when the contract and kit branches are merged.
 */
export const ALLOWED_SERVICE_DEPENDENCIES: readonly string[] = [
  // Not code: the collector serves the SDK's built browser bundle (`/waymark.js` from
  // @waymark/sdk/waymark.js). Every type and the classifier come from @waymark/contract.
  '@waymark/collector → @waymark/sdk',
];

/** `file → package` for relative imports that leave their package today; see above. */
export const ALLOWED_RELATIVE_IMPORTS: readonly string[] = [];

export interface Workspace {
  name: string;
  /** Relative to the repository root, with `/`. */
  dir: string;
  dependencies: string[];
  devDependencies: string[];
}

export interface Violation {
  /** `from → to` (dependencies) or `file → package` (imports): the allow-list's key. */
  key: string;
  why: string;
}

interface PackageJson {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8'));

/** The root package.json's workspaces (`dir` or `dir/*` entries), each with its package.json. */
export function readWorkspaces(root: string): Workspace[] {
  const dirs = (readJson(join(root, 'package.json')).workspaces ?? []).flatMap((entry) => {
    if (!entry.endsWith('/*')) return [entry];
    const parent = entry.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, parent, d.name, 'package.json')))
      .map((d) => `${parent}/${d.name}`);
  });
  return dirs.sort().map((dir) => {
    const pkg = readJson(join(root, dir, 'package.json'));
    return {
      name: pkg.name ?? dir,
      dir,
      dependencies: Object.keys({
        ...pkg.dependencies,
        ...pkg.peerDependencies,
        ...pkg.optionalDependencies,
      }).sort(),
      devDependencies: Object.keys(pkg.devDependencies ?? {}).sort(),
    };
  });
}

/** One line per workspace: its workspace dependencies, dev-only ones marked. */
export function formatGraph(workspaces: readonly Workspace[]): string {
  const names = new Set(workspaces.map((w) => w.name));
  const width = Math.max(...workspaces.map((w) => w.name.length));
  return workspaces
    .map((w) => {
      const deps = w.dependencies.filter((d) => names.has(d));
      const dev = w.devDependencies.filter((d) => names.has(d)).map((d) => `${d} (dev)`);
      const all = [...deps, ...dev];
      return `${w.name.padEnd(width)}  ${w.dir.padEnd(20)} → ${all.length > 0 ? all.join(', ') : '—'}`;
    })
    .join('\n');
}

/** A service depending on another service, or a shared package depending on a service. */
export function dependencyViolations(workspaces: readonly Workspace[]): Violation[] {
  const services = new Set<string>(SERVICES);
  const shared = new Set<string>(SHARED_PACKAGES);
  const violations: Violation[] = [];
  for (const w of workspaces) {
    const deps = w.dependencies.map((to) => ({ to, dev: false }));
    const dev = w.devDependencies.map((to) => ({ to, dev: true }));
    for (const { to, dev: isDev } of [...deps, ...dev]) {
      if (!to.startsWith('@waymark/')) continue;
      const key = `${w.name} → ${to}`;
      if (services.has(w.name)) {
        if (shared.has(to) || (isDev && to === TEST_HARNESS)) continue;
        violations.push({
          key,
          why:
            to === TEST_HARNESS
              ? 'the test harness is a devDependency of a service, never a dependency'
              : `a service depends only on ${SHARED_PACKAGES.join(' and ')} (and, dev-only, ${TEST_HARNESS})`,
        });
      } else if (SERVICE_FREE.includes(w.name) && services.has(to)) {
        violations.push({ key, why: `${w.name} is imported by services: it depends on none` });
      }
    }
  }
  return violations;
}

const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.turbo', 'coverage', 'test-artifacts']);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) ? [path] : [];
  });
}

/** Block comments and whole-line `//` comments: examples in docs are not imports. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The module specifiers of every static, dynamic, re-export and require import in `source`. */
export function importSpecifiers(source: string): string[] {
  const pattern =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...stripComments(source).matchAll(pattern)].map((m) => m[1] ?? '');
}

/** The workspace a path is in: the deepest workspace directory holding it. */
function owner(
  workspaces: readonly Workspace[],
  root: string,
  path: string,
): Workspace | undefined {
  let best: Workspace | undefined;
  for (const w of workspaces) {
    const dir = resolve(root, w.dir);
    if ((path === dir || path.startsWith(dir + sep)) && (!best || w.dir.length > best.dir.length)) {
      best = w;
    }
  }
  return best;
}

/** Relative imports that leave their package, and `@waymark/*` imports not declared. */
export function importViolations(root: string, workspaces: readonly Workspace[]): Violation[] {
  const violations: Violation[] = [];
  for (const w of workspaces) {
    const declared = new Set([w.name, ...w.dependencies, ...w.devDependencies]);
    for (const file of sourceFiles(resolve(root, w.dir))) {
      if (owner(workspaces, root, file) !== w) continue; // a nested workspace's file
      const rel = relative(root, file).split(sep).join('/');
      const reported = new Set<string>();
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('./') || specifier.startsWith('../')) {
          const target = resolve(dirname(file), specifier);
          const to = owner(workspaces, root, target);
          if (to === w) continue;
          const key = `${rel} → ${to?.name ?? '(outside every package)'}`;
          if (reported.has(key)) continue;
          reported.add(key);
          violations.push({
            key,
            why: `'${specifier}' leaves ${w.name}: import ${to ? `${to.name} by name and declare it` : 'nothing outside the package'}`,
          });
        } else if (specifier.startsWith('@waymark/')) {
          const name = specifier.split('/').slice(0, 2).join('/');
          const key = `${rel} → ${name}`;
          if (declared.has(name) || reported.has(key)) continue;
          reported.add(key);
          violations.push({
            key,
            why: `${name} is imported but not declared in ${w.dir}/package.json`,
          });
        }
      }
    }
  }
  return violations;
}

export interface BoundaryReport {
  graph: string;
  /** Violations not on an allow-list: each fails the check. */
  unexpected: Violation[];
  /** Allowed for now (listed above). */
  allowed: Violation[];
  /** Allow-list entries that no longer happen: remove them. */
  stale: string[];
}

export function checkBoundaries(
  root: string,
  allowedDependencies: readonly string[] = ALLOWED_SERVICE_DEPENDENCIES,
  allowedImports: readonly string[] = ALLOWED_RELATIVE_IMPORTS,
): BoundaryReport {
  const workspaces = readWorkspaces(root);
  const found = [...dependencyViolations(workspaces), ...importViolations(root, workspaces)];
  const allowList = new Set([...allowedDependencies, ...allowedImports]);
  const keys = new Set(found.map((v) => v.key));
  return {
    graph: formatGraph(workspaces),
    unexpected: found.filter((v) => !allowList.has(v.key)),
    allowed: found.filter((v) => allowList.has(v.key)),
    stale: [...allowList].filter((key) => !keys.has(key)),
  };
}
