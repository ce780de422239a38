/**
 * The version `batchkit --version` prints: the `version` of batchkit's own package.json, found by
 * walking up from this file (`lib/cli` in the sources, `dist/lib/cli` when built).
 */
import { readFileSync } from 'fs';
import * as path from 'path';

/** Directories walked up at most: the package root is 2 (sources) or 3 (dist) levels above this file. */
const MAX_LEVELS = 5;

/** batchkit's version, or `unknown` when no batchkit package.json is above this file. */
export function packageVersion(from: string = __dirname): string {
  let dir = from;
  for (let level = 0; level <= MAX_LEVELS; level++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (isBatchkitPackage(pkg)) return pkg.version;
    } catch {
      // no (readable) package.json at this level: go up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}

function isBatchkitPackage(pkg: unknown): pkg is { name: 'batchkit'; version: string } {
  if (typeof pkg !== 'object' || pkg === null) return false;
  const { name, version } = pkg as { name?: unknown; version?: unknown };
  return name === 'batchkit' && typeof version === 'string';
}
