/**
 * The package's entry points, loaded as a user loads them (the package's `exports`, resolved by
 * Node through the package's own name) in a plain Node process: what each one loads, and what it
 * exports. Needs `npm run build`.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../_helpers/cli';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  files: string[];
};

/**
 * Loads `entry` by its package name in a fresh Node process; returns the heavy modules it loaded and its export
 * names.
 */
function load(entry: string): { loaded: Record<string, boolean>; names: string[] } {
  const script = `
    const m = require(${JSON.stringify(entry)});
    const keys = Object.keys(require.cache);
    const has = (s) => keys.some((k) => k.includes(s));
    process.stdout.write(JSON.stringify({
      loaded: {
        dockerode: has('/node_modules/dockerode/'),
        sqlite: has('/node_modules/better-sqlite3/'),
        sdk: has('/node_modules/@aws-sdk/'),
        cdk: has('/node_modules/aws-cdk-lib/'),
        provisioner: has('/dist/lib/provisioner/'),
        cli: has('/dist/lib/cli/'),
      },
      names: Object.keys(m).sort(),
    }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { loaded: Record<string, boolean>; names: string[] };
}

beforeAll(() => {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'lib', 'testing', 'index.js')))
    throw new Error('run "npm run build" first (npm test does).');
});

test('exports: five entries with types and a typesVersions twin each, plus ./package.json', () => {
  expect(Object.keys(pkg.exports)).toEqual(['.', './core', './local', './provisioner', './testing', './package.json']);
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    const t = target as { types: string; default: string };
    expect(existsSync(path.join(REPO_ROOT, t.types))).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, t.default))).toBe(true);
    if (key !== '.') expect(pkg.typesVersions['*'][key.slice(2)]).toEqual([t.types.slice(2)]);
  }
});

test(
  'batchkit: the constructs and the chosen model types; no dockerode, ' +
    'better-sqlite3 or AWS SDK, no internal helpers',
  () => {
    const { loaded, names } = load('batchkit');
    expect(loaded).toEqual({ dockerode: false, sqlite: false, sdk: false, cdk: true, provisioner: false, cli: false });
    expect(names).toEqual(
      expect.arrayContaining([
        'BatchEnvironment',
        'ContainerJobDefinition',
        'JobQueue',
        'BatchkitNagChecks',
        'BatchkitError',
        'isJobStateChangeEvent',
        'JOB_STATUSES',
      ]),
    );
    for (const internal of [
      'validateStages',
      'stageDependsOn',
      'familyArchitecture',
      'isNvidiaImage',
      'isAcknowledged',
      'nagRuleInfo',
      'isUnresolved',
      'loadBatchModel',
      'ALL_RULES',
      'LocalExecutor',
    ]) {
      expect(names).not.toContain(internal);
    }
  },
);

test(
  'batchkit/testing: no provisioner, no AWS SDK, no dockerode, ' + 'better-sqlite3 or aws-cdk-lib until they are used',
  () => {
    const { loaded, names } = load('batchkit/testing');
    expect(loaded).toEqual({ dockerode: false, sqlite: false, sdk: false, cdk: false, provisioner: false, cli: false });
    expect(names).toEqual([
      'FakeContainer',
      'FakeRuntime',
      'JOB_ERRORS',
      'JobHandle',
      'LOCAL_BATCH_ERRORS',
      'LocalBatch',
      'REF_ERRORS',
      'TESTING_LABELS',
      'batchFindings',
      'scrubTemplate',
      'templateSerializer',
      'templateSnapshot',
    ]);
  },
);

test(
  'batchkit/core is pure; batchkit/local has the executor, the Docker ' +
    'runtime and the API, without the SDK or aws-cdk-lib',
  () => {
    const core = load('batchkit/core');
    expect(core.loaded).toEqual({
      dockerode: false,
      sqlite: false,
      sdk: false,
      cdk: false,
      provisioner: false,
      cli: false,
    });
    expect(core.names).toEqual(
      expect.arrayContaining(['loadBatchModel', 'validateModel', 'ALL_RULES', 'isUnresolved']),
    );
    const local = load('batchkit/local');
    expect(local.loaded).toMatchObject({ sdk: false, cdk: false, provisioner: false, cli: false });
    expect(local.names).toEqual(
      expect.arrayContaining([
        'LocalExecutor',
        'DockerRuntime',
        'startLocalBatchService',
        'JsonlSink',
        'SqliteJobStore',
      ]),
    );
  },
);

test('deep imports are not part of the API: Node refuses them', () => {
  const r = spawnSync(process.execPath, ['-e', "require('batchkit/dist/lib/local/executor')"], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test('test code does not ship: no lib/local/testing in the build', () => {
  expect(existsSync(path.join(REPO_ROOT, 'dist', 'lib', 'local', 'testing'))).toBe(false);
  expect(pkg.files).toEqual(['dist/lib', 'dist/bin']);
});
