/**
 * Heavy modules load in the commands that use them: dockerode (and with it gRPC and ssh2) when a
 * command first talks to the Docker engine, better-sqlite3 when it opens a store. Jest has a module
 * registry of its own, so each case runs the built CLI in a plain Node process and lists what it loaded.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../_helpers/cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-lazy-'));
const template = path.join(dir, 't.json');
writeFileSync(
  template,
  JSON.stringify({
    Resources: {
      Job: {
        Type: 'AWS::Batch::JobDefinition',
        Properties: {
          JobDefinitionName: 'lazy',
          Type: 'container',
          ContainerProperties: {
            Image: 'local/busybox:test',
            ResourceRequirements: [
              { Type: 'VCPU', Value: '1' },
              { Type: 'MEMORY', Value: '512' },
            ],
          },
        },
      },
    },
  }),
);

interface Loaded {
  code: number;
  dockerode: boolean;
  sqlite: boolean;
  grpc: boolean;
  ssh2: boolean;
  /** `@aws-sdk/client-cloudwatch-logs` (only `submit --follow` reads CloudWatch Logs). */
  logs: boolean;
}

/** Runs `batchkit <args>` in a fresh Node process and says which heavy packages it loaded. */
function loadedBy(args: readonly string[]): Loaded {
  const script = `
    const { cli } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'lib', 'cli', 'index.js'))});
    process.stdout.write = () => true;
    cli(['node', 'batchkit', ...${JSON.stringify(args)}]).then((code) => {
      const keys = Object.keys(require.cache);
      const has = (name) => keys.some((k) => k.includes('/node_modules/' + name + '/'));
      process.stderr.write('\\n' + JSON.stringify({ code, dockerode: has('dockerode'), sqlite: has('better-sqlite3'),
        grpc: has('@grpc/grpc-js'), ssh2: has('ssh2'), logs: has('@aws-sdk/client-cloudwatch-logs') }) + '\\n');
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Loaded;
}

test('--help and validate load neither dockerode nor better-sqlite3', () => {
  const none = { dockerode: false, sqlite: false, grpc: false, ssh2: false, logs: false };
  expect(loadedBy(['--help'])).toEqual({ code: 0, ...none });
  expect(loadedBy(['validate', '--app', template])).toEqual({ code: 0, ...none });
  // submit without --follow does not load the CloudWatch Logs client (refused flags: nothing is contacted).
  expect(loadedBy(['submit', '--job-queue', 'q', '--job-definition', 'd', '--array-size', '1'])).toEqual({
    code: 2,
    ...none,
  });
});

test('a command that talks to the engine loads dockerode and the store: local list', () => {
  const store = path.join(dir, 'store');
  expect(loadedBy(['local', 'list', '--app', template, '--store', store, '--array-job-id', 'none'])).toEqual({
    code: 0,
    dockerode: true,
    sqlite: true,
    grpc: true,
    ssh2: true,
    logs: false,
  });
});
