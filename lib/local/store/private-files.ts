/**
 * The store directory holds environment values, secrets' consumers' output and logs, so it is
 * private to the user: the directory is 0700 and batchkit's files in it 0600, whatever the umask.
 * A directory or file that already exists with looser modes is tightened on open (only batchkit's
 * own files are touched: the job database with its `-wal`/`-shm` companions and the API's
 * resource file).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/** Mode of the store directory. */
export const STORE_DIR_MODE = 0o700;
/** Mode of every file batchkit writes in the store directory. */
export const STORE_FILE_MODE = 0o600;

/** Creates `dir` (and parents) as 0700, or tightens an existing one to 0700. */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: STORE_DIR_MODE });
  chmodSync(dir, STORE_DIR_MODE);
}

/**
 * Makes `file` exist with mode 0600 (created empty when missing, tightened when looser), so that
 * what is written to it next is never readable by others, not even for a moment. `companions`
 * (suffixes such as `-wal`) are tightened when they exist.
 */
export function privateFile(file: string, companions: readonly string[] = []): void {
  closeSync(openSync(file, 'a', STORE_FILE_MODE));
  chmodSync(file, STORE_FILE_MODE);
  for (const suffix of companions) {
    if (existsSync(`${file}${suffix}`)) chmodSync(`${file}${suffix}`, STORE_FILE_MODE);
  }
}
