/**
 * Reading the files of a cloud assembly or template safely: regular files only (a FIFO would block
 * the read forever, `/dev/zero` never ends), at most {@link LOADER_LIMITS.maxFileBytes}, and, for the
 * files a cloud assembly points at, only inside the assembly directory. Errors name the file and the
 * reason, never its content.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'fs';
import * as path from 'path';
import { ASSEMBLY_ERRORS, assemblyError } from './errors';
import { LOADER_LIMITS } from './limits';

function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(file: string, what: string, kind: string): Error {
  return assemblyError(
    ASSEMBLY_ERRORS.notRegularFile,
    `${what} ${file} is ${kind}; batchkit reads only regular files.`,
    'Point to the template or manifest file itself (run `cdk synth` again if the cloud assembly is incomplete).',
  );
}

function tooLarge(file: string, what: string, size: number): Error {
  const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return assemblyError(
    ASSEMBLY_ERRORS.notRegularFile,
    `${what} ${file} is ${mib(size)}, more than the loader's limit of ${mib(LOADER_LIMITS.maxFileBytes)}.`,
    'Pass the CloudFormation template or cloud assembly itself; ' +
      'CloudFormation accepts templates of at most 1 MB (from S3), so a larger file is not one.',
  );
}

/**
 * The text of a regular file of at most {@link LOADER_LIMITS.maxFileBytes} bytes (UTF-8).
 * @throws BatchkitError BATCHKIT-ASSEMBLY-001 (cannot be read), -008 (not a regular file, too large)
 */
export function readTextFile(file: string, what: string): string {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw assemblyError(
      ASSEMBLY_ERRORS.pathMissing,
      `Cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`,
      'Check the path; run `cdk synth` again if the cloud assembly is incomplete.',
    );
  }
  if (!st.isFile()) throw notRegular(file, what, kindOf(st));
  if (st.size > LOADER_LIMITS.maxFileBytes) throw tooLarge(file, what, st.size);
  let fd: number;
  try {
    // O_NONBLOCK: should the path be swapped for a FIFO after the stat, the open does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw assemblyError(
      ASSEMBLY_ERRORS.pathMissing,
      `Cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`,
      'Check the path and its permissions.',
    );
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) throw notRegular(file, what, kindOf(fst));
    const limit = LOADER_LIMITS.maxFileBytes;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = new Uint8Array(Math.min(1024 * 1024, limit + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) throw tooLarge(file, what, total);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * `file` (as given) when it lies inside `dir` after symbolic links are followed.
 * @throws BatchkitError BATCHKIT-ASSEMBLY-010 otherwise, naming the file, the assembly and who points there
 */
export function insideAssembly(file: string, dir: string, pointer: string): string {
  const rel = path.relative(real(dir), real(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw assemblyError(
      ASSEMBLY_ERRORS.outsideAssembly,
      `${pointer} points to ${file}, which is outside the cloud assembly ` +
        `directory ${dir}; batchkit reads only the assembly's own files.`,
      'Synthesize the app again (`cdk synth`) so the file is in cdk.out, or ' +
        'load that template directly (batchkit validate <template>).',
    );
  }
  return file;
}
