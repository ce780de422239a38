/**
 * The dockerode loader defers dockerode's BuildKit session module (gRPC) and docker-modem's ssh
 * transport (ssh2) until they are called. Jest has a module registry of its own, so this runs the
 * built module in a plain Node process, as `batchkit` loads it.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../../_helpers/cli';

function node(script: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr };
}

const RUNTIME = JSON.stringify(path.join(REPO_ROOT, 'dist', 'lib', 'local', 'runtime', 'docker-runtime.js'));

test('loading the Docker runtime loads neither gRPC nor ssh2, and the engine still answers', () => {
  const r = node(`
    const { DockerRuntime } = require(${RUNTIME});
    const heavy = Object.keys(require.cache).filter((k) => /node_modules\\/(@grpc|ssh2|protobufjs)\\//.test(k));
    new DockerRuntime().ping().then(() => console.log(JSON.stringify({ heavy: heavy.length, ping: 'ok' })), (e) => { console.log(JSON.stringify({ heavy: heavy.length, ping: e.message })); });
  `);
  expect(r.err).toBe('');
  expect(JSON.parse(r.out)).toEqual({ heavy: 0, ping: 'ok' });
});

test('a deferred module is the real one on first call: ssh transport and BuildKit session load on demand', () => {
  const r = node(`
    require(${RUNTIME});
    const ssh = require('docker-modem/lib/ssh.js');
    const before = Object.keys(require.cache).some((k) => /node_modules\\/ssh2\\//.test(k));
    const agent = ssh({ host: '127.0.0.1', port: 1, username: 'nobody' });
    const after = Object.keys(require.cache).some((k) => /node_modules\\/ssh2\\//.test(k));
    const session = require('dockerode/lib/session.js');
    console.log(JSON.stringify({ before, after, agent: typeof agent.createConnection, sessionIsFunction: typeof session === 'function' }));
  `);
  expect(r.err).toBe('');
  expect(JSON.parse(r.out)).toEqual({ before: false, after: true, agent: 'function', sessionIsFunction: true });
});
