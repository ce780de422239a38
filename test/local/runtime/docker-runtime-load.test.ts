/**
 * dockerode loads when a Docker runtime is created, not when its module is imported: at load time
 * dockerode requires gRPC (BuildKit sessions) and ssh2 (`ssh://` engines). No module cache is
 * patched: once loaded, dockerode's own modules are the real ones. Jest has a module registry of its
 * own, so this runs the built module in a plain Node process, as `batchkit` loads it.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../../_helpers/cli';

function node(script: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr };
}

const RUNTIME = JSON.stringify(path.join(REPO_ROOT, 'dist', 'lib', 'local', 'runtime', 'docker-runtime.js'));

test('loading the Docker runtime loads neither dockerode nor gRPC nor ssh2, and the engine still answers', () => {
  const r = node(`
    const { DockerRuntime } = require(${RUNTIME});
    const loaded = (re) => Object.keys(require.cache).filter((k) => re.test(k)).length;
    const heavy = loaded(/node_modules\\/(@grpc|ssh2|protobufjs)\\//);
    const dockerode = loaded(/node_modules\\/(dockerode|docker-modem)\\//);
    new DockerRuntime().ping().then(
      () => console.log(JSON.stringify({ heavy, dockerode, ping: 'ok' })),
      (e) => console.log(JSON.stringify({ heavy, dockerode, ping: e.message })),
    );
  `);
  expect(r.err).toBe('');
  expect(JSON.parse(r.out)).toEqual({ heavy: 0, dockerode: 0, ping: 'ok' });
});

test('creating a runtime loads the real dockerode, with its BuildKit session module (gRPC) and ssh2', () => {
  const r = node(`
    const { DockerRuntime } = require(${RUNTIME});
    const runtime = new DockerRuntime();
    const session = Object.keys(require.cache).find((k) => /node_modules\\/dockerode\\/lib\\/session\\.js$/.test(k));
    const grpc = Object.keys(require.cache).some((k) => /node_modules\\/@grpc\\/grpc-js\\//.test(k));
    const ssh2 = Object.keys(require.cache).some((k) => /node_modules\\/ssh2\\//.test(k));
    console.log(JSON.stringify({ client: typeof runtime.docker.ping, session: session !== undefined, grpc, ssh2 }));
  `);
  expect(r.err).toBe('');
  expect(JSON.parse(r.out)).toEqual({ client: 'function', session: true, grpc: true, ssh2: true });
});
