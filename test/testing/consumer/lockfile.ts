/**
 * A package-lock.json for the consumer project of the pack test, cut from the repository's own lock:
 * the consumer's dependencies at the repository's pinned versions and everything they need, and the
 * packed tarball. With it `npm ci --prefer-offline` installs from the npm cache the repository's
 * own `npm ci` filled (and from the registry for anything missing), without resolving metadata.
 */

/** One entry of a lockfile's `packages`. */
export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** A lockfile (version 3). */
export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** Where Node would find `name` when required from the package at `from` (a lock location). */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/**
 * The consumer's lock: `root` (its package.json) with `deps` and `devDeps` taken from the repository
 * lock at the same locations, plus `batchkit` from `tarball` (`file:` path relative to the consumer)
 * with the dependencies of its package.json, and the closure of what they all need.
 */
export function consumerLock(
  repo: Lockfile,
  root: { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string> },
  batchkit: {
    tarball: string;
    integrity: string;
    version: string;
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  },
): Lockfile {
  const packages: Record<string, LockEntry> = {
    '': { name: root.name, version: '1.0.0', dependencies: root.dependencies, devDependencies: root.devDependencies },
    'node_modules/batchkit': {
      version: batchkit.version,
      resolved: batchkit.tarball,
      integrity: batchkit.integrity,
      dependencies: batchkit.dependencies,
      peerDependencies: batchkit.peerDependencies,
    },
  };
  const queue: string[] = [];
  const want = (from: string, deps: Record<string, string> | undefined, optional: ReadonlySet<string> = new Set()) => {
    for (const name of Object.keys(deps ?? {})) {
      const at = locate(repo.packages, from, name);
      if (at === undefined) {
        if (optional.has(name)) continue;
        throw new Error(
          `the repository lock has no ${name} for ${from || 'the root'}: run npm ci in the repository first`,
        );
      }
      if (packages[at]) continue;
      const { dev: _dev, devOptional, ...entry } = repo.packages[at];
      packages[at] = devOptional ? { ...entry, optional: true } : entry;
      queue.push(at);
    }
  };
  const { batchkit: _self, ...rootDeps } = root.dependencies;
  want('', { ...rootDeps, ...root.devDependencies });
  want('', batchkit.dependencies);
  while (queue.length > 0) {
    const at = queue.shift()!;
    const e = repo.packages[at];
    const optionalPeers = new Set(
      Object.entries(e.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional)
        .map(([n]) => n),
    );
    want(at, e.dependencies);
    want(at, e.optionalDependencies, new Set(Object.keys(e.optionalDependencies ?? {})));
    want(at, e.peerDependencies, optionalPeers);
  }
  return { name: root.name, version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
