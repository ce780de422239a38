/**
 * The files of a Docker build context, listed relative to its directory. The engine client packs
 * them (and applies `.dockerignore`); this module only walks the directory.
 */
import { readdirSync, statSync } from 'fs';
import * as path from 'path';
import { BatchkitError } from '../../core/errors';

/** Every file and symlink under `directory`, as POSIX paths relative to it, sorted. */
export function listContextFiles(directory: string): string[] {
  let stat;
  try {
    stat = statSync(directory);
  } catch (cause) {
    throw new BatchkitError(
      'BATCHKIT-IMAGE-001',
      'input',
      `Docker image asset directory ${directory} does not exist.`,
      {
        fix:
          'synthesize the app again (cdk synth) so cdk.out holds the asset ' +
          'directories, or point --app at the right cdk.out.',
        cause,
      },
    );
  }
  if (!stat.isDirectory()) {
    throw new BatchkitError('BATCHKIT-IMAGE-001', 'input', `Docker image asset path ${directory} is not a directory.`, {
      fix: 'a docker image asset must be a directory holding a Dockerfile; synthesize the app again (cdk synth).',
    });
  }
  const out: string[] = [];
  const walk = (relative: string) => {
    const absolute = path.join(directory, relative);
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}
