/**
 * dockerode, loaded without two modules batchkit does not use until something really calls them.
 *
 * At load time dockerode 5 requires `./session` (gRPC and protobuf, for BuildKit builds only) and
 * docker-modem requires `./ssh` (the ssh2 client, for `ssh://` engines only): together about
 * 110 ms, most of `batchkit local`'s start-up. batchkit builds image assets with the classic
 * builder and talks to the engine over its Unix socket, so each of the two is put in the require
 * cache as a stand-in function that loads the real module on its first call: behaviour is
 * unchanged (an `ssh://` DOCKER_HOST or a BuildKit build still works), start-up is shorter.
 */
import Module from 'module';
import * as path from 'path';
import type DockerodeClass from 'dockerode';

/** Modules whose `module.exports` is one function, loaded on first call. */
const DEFERRED: ReadonlyArray<{ readonly request: string; readonly from: 'dockerode' | 'docker-modem' }> = [
  { request: 'dockerode/lib/session.js', from: 'dockerode' },
  { request: 'docker-modem/lib/ssh.js', from: 'docker-modem' },
];

function resolveFrom(request: string, from: string): string | undefined {
  try {
    const base = path.dirname(require.resolve(`${from}/package.json`, { paths: [path.dirname(require.resolve('dockerode/package.json'))] }));
    return require.resolve(request, { paths: [path.dirname(base)] });
  } catch {
    return undefined; // another layout: that module loads as it is
  }
}

function defer(file: string): void {
  if (require.cache[file]) return;
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = function deferred(this: unknown, ...args: unknown[]): unknown {
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const real = require(file) as (...a: unknown[]) => unknown;
    return real.apply(this, args);
  };
  require.cache[file] = standIn;
}

for (const d of DEFERRED) {
  const file = resolveFrom(d.request, d.from);
  if (file) defer(file);
}

/** The dockerode client class (`new DockerodeClient(options)`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const DockerodeClient = require('dockerode') as typeof DockerodeClass;
