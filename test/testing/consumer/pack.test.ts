/**
 * What a user does: `npm pack` the package, install the tarball into a new CDK project outside the
 * repository (aws-cdk-lib, constructs, jest, ts-jest, typescript at the repository's versions),
 * type-check its test with the CDK app template's settings (NodeNext) and with
 * `moduleResolution: node`, and run it with Jest: findings, a snapshot, and jobs on Docker from a
 * batchkit stack and from an aws-cdk-lib/aws-batch stack. Needs `npm run build` (the tarball is
 * packed from dist/ as it is) and the npm cache of the repository's `npm ci`.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../_helpers/cli';
import { CONSUMER_TEST, ENTRIES_FILE, JEST_CONFIG, TSCONFIG_NODE10, TSCONFIG_NODENEXT } from './files';
import { consumerLock, type Lockfile } from './lockfile';

jest.setTimeout(240_000);

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
let dir: string;
const timings: Record<string, number> = {};

function timed<T>(name: string, fn: () => T): T {
  const t = Date.now();
  try {
    return fn();
  } finally {
    timings[name] = Date.now() - t;
  }
}

const ENV = { ...process.env, CI: 'true', npm_config_update_notifier: 'false' };

function run(cmd: string, args: string[], cwd: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: ENV, timeout: 180_000 });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-consumer-'));
});

afterAll(() => {
  // The installed project holds thousands of files: remove it in the background (a second on an idle disk, a
  // minute on a busy one).
  if (dir) spawn('rm', ['-rf', dir], { detached: true, stdio: 'ignore' }).unref();
  process.stderr.write(`pack test timings (ms): ${JSON.stringify(timings)}\n`);
});

test(
  'the packed package installs into a CDK project, type-checks (NodeNext ' +
    'and node) and its Jest test runs jobs on Docker',
  () => {
    const [packed] = timed('pack', () =>
      JSON.parse(
        execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        }),
      ),
    ) as Array<{ filename: string; integrity: string; files: Array<{ path: string }> }>;
    const shipped = packed.files.map((f) => f.path);
    expect(shipped).toContain('dist/lib/testing/index.d.ts');
    expect(shipped.filter((f) => /(^|\/)test\/|\.test\.|local\/testing\//.test(f))).toEqual([]);

    const project = path.join(dir, 'my-batch-app');
    mkdirSync(path.join(project, 'test'), { recursive: true });
    const pick = (names: string[]) => Object.fromEntries(names.map((n) => [n, pkg.devDependencies[n]]));
    const manifest = {
      name: 'my-batch-app',
      version: '1.0.0',
      private: true,
      dependencies: { ...pick(['aws-cdk-lib', 'constructs']), batchkit: `file:../${packed.filename}` },
      devDependencies: pick(['jest', 'ts-jest', 'typescript', '@types/jest', '@types/node']),
    };
    writeFileSync(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    const repoLock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
    const lock = consumerLock(repoLock, manifest, {
      tarball: `file:../${packed.filename}`,
      integrity: packed.integrity,
      version: pkg.version,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
    });
    writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG_NODENEXT, null, 2));
    writeFileSync(path.join(project, 'tsconfig.node10.json'), JSON.stringify(TSCONFIG_NODE10, null, 2));
    writeFileSync(path.join(project, 'jest.config.js'), JEST_CONFIG);
    writeFileSync(path.join(project, 'test', 'jobs.test.ts'), CONSUMER_TEST);
    writeFileSync(path.join(project, 'entries.ts'), ENTRIES_FILE);

    // Install scripts are skipped: the test uses the in-memory store, so better-sqlite3's native addon is not built.
    const install = timed('install', () =>
      run('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], project),
    );
    expect(install.out).not.toMatch(/npm (error|ERR!)/);
    expect(install.code).toBe(0);
    expect(
      JSON.parse(readFileSync(path.join(project, 'node_modules', 'batchkit', 'package.json'), 'utf8')).version,
    ).toBe(pkg.version);

    const tsc = path.join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const jestBin = path.join(project, 'node_modules', 'jest', 'bin', 'jest.js');
    // One after the other: side by side they only compete for the cores.
    const nodeNext = timed('tsc NodeNext', () => run(process.execPath, [tsc, '-p', 'tsconfig.json'], project));
    const node10 = timed('tsc node', () => run(process.execPath, [tsc, '-p', 'tsconfig.node10.json'], project));
    const tests = timed('jest', () => run(process.execPath, [jestBin, '--ci=false', '-w', '1'], project));
    expect(nodeNext.out.trim()).toBe('');
    expect(node10.out.trim()).toBe('');
    expect(tests.out).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(tests.code).toBe(0);
    const snapshot = readFileSync(path.join(project, 'test', '__snapshots__', 'jobs.test.ts.snap'), 'utf8');
    expect(snapshot).toMatch(/"AWS::Batch::JobDefinition"/);
    expect(snapshot).not.toMatch(/[0-9a-f]{64}|BootstrapVersion|CDKMetadata/);
  },
);
