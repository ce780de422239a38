/**
 * `batchkit local` through the built binary (dist/bin/batchkit.js) on the real Docker engine:
 * exit codes, stdout data, stderr progress and reasons, the store commands, and start-up cost.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CLI, REPO_ROOT, cliJobDefinition, cliTemplate, runCli, startCli } from '../_helpers/cli';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-cli-local-'));
  const template = cliTemplate({
    EchoDef: cliJobDefinition('echo', ['echo', 'Ref::greeting'], { Parameters: { greeting: 'hello' } }),
    SlowDef: cliJobDefinition('slow', [
      'sh',
      '-c',
      'echo first; sleep 3; echo second; sleep 0.2; echo "to stderr" >&2',
    ]),
    FailDef: cliJobDefinition('fail', ['sh', '-c', 'echo failing; exit 5']),
  });
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
  writeFileSync(
    path.join(dir, 'jobs.json'),
    JSON.stringify({
      jobs: [
        { name: 'JobD', queue: 'q', jobDefinition: 'echo', dependsOn: ['JobB', 'JobC'], parameters: { greeting: 'D' } },
        { name: 'JobA', queue: 'q', jobDefinition: 'echo', parameters: { greeting: 'A' } },
        { name: 'JobB', queue: 'q', jobDefinition: 'echo', dependsOn: ['JobA'], parameters: { greeting: 'B' } },
        {
          name: 'JobC',
          queue: 'Queue',
          jobDefinition: 'EchoDef',
          dependsOn: [{ name: 'JobA' }],
          arraySize: 2,
          parameters: { greeting: 'C' },
        },
      ],
    }),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function local(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['local', ...args, '--store', path.join(dir, '.batchkit')], { cwd: dir, env });
}

test('run: a job that SUCCEEDS exits 0, prints its line on stdout, progress and --follow logs', () => {
  const r = local([
    'run',
    '--app',
    'template.json',
    '--job-queue',
    'q',
    '--job-definition',
    'echo',
    '--parameters',
    'greeting=hi-there',
    '--follow',
  ]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^echo \| hi-there\necho\t[0-9a-f-]{36}\tSUCCEEDED\n$/);
  expect(r.stderr).toMatch(/submitted echo: [0-9a-f-]{36}\n/);
  expect(r.stderr).toMatch(/\) RUNNABLE\n.*\) STARTING\n.*\) RUNNING\n.*\) SUCCEEDED\n/);
});

test('run: a job that FAILS exits 1 and prints the status reason; logs/describe/list read the store', () => {
  const r = local([
    'run',
    '--app',
    'template.json',
    '--job-queue',
    'q',
    '--job-definition',
    'fail',
    '--job-name',
    'failing-job',
    '--retry-attempts',
    '2',
  ]);
  expect(r.code).toBe(1);
  const [, jobId] = /^failing-job\t(\S+)\tFAILED\tEssential container in task exited\n$/.exec(r.stdout) ?? [];
  expect(jobId).toBeDefined();
  // Said once, by the progress line of the change, not again at the end.
  expect(r.stderr.split('\n').filter((l) => l.includes('FAILED'))).toEqual([
    `failing-job (${jobId}) FAILED: Essential container in task exited`,
  ]);

  const logs = local(['logs', jobId, '--attempt', '2']);
  expect(logs.code).toBe(0);
  expect(logs.stdout).toMatch(/^\S+Z stdout failing\n$/);

  const described = local(['describe', jobId, '--json']);
  expect(described.code).toBe(0);
  const detail = JSON.parse(described.stdout).jobs[0];
  expect(detail.status).toBe('FAILED');
  expect(detail.attempts.map((a: { container: { exitCode: number } }) => a.container.exitCode)).toEqual([5, 5]);

  const listed = local(['list', '--app', 'template.json', '--job-status', 'FAILED', '--json']);
  expect(listed.code).toBe(0);
  expect(JSON.parse(listed.stdout).jobSummaryList.map((s: { jobId: string }) => s.jobId)).toContain(jobId);

  const unknown = local(['describe', 'no-such-job']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/no job no-such-job in the store/);
});

test('run --file: the JobA -> JobB/JobC(array) -> JobD workflow, by name and logical id, in dependency order', () => {
  const r = local(['run', '--app', 'template.json', '--file', 'jobs.json', '--json']);
  expect(r.code).toBe(0);
  const jobs: Array<{ jobName: string; jobId: string; status: string; dependsOn?: Array<{ jobId: string }> }> =
    JSON.parse(r.stdout).jobs;
  expect(jobs.map((j) => [j.jobName, j.status])).toEqual([
    ['JobA', 'SUCCEEDED'],
    ['JobB', 'SUCCEEDED'],
    ['JobC', 'SUCCEEDED'],
    ['JobD', 'SUCCEEDED'],
  ]);
  const id = (n: string) => jobs.find((j) => j.jobName === n)?.jobId;
  expect(jobs.find((j) => j.jobName === 'JobD')?.dependsOn?.map((d) => d.jobId)).toEqual([id('JobB'), id('JobC')]);
  expect(r.stderr).toMatch(/JobC: 2\/2 done {2}SUCCEEDED 2/);
});

test('run: the queue and job definition by the construct ids of the CDK code (aws:cdk:path metadata)', () => {
  const template = cliTemplate({
    EchoDef1234ABCD: { ...cliJobDefinition('echo', ['echo', 'hi']), Metadata: { 'aws:cdk:path': 'App/Echo/Resource' } },
  });
  const resources = template.Resources as Record<string, Record<string, unknown>>;
  resources.Queue.Metadata = { 'aws:cdk:path': 'App/JobQueue/Resource' };
  writeFileSync(path.join(dir, 'cdk-paths.json'), JSON.stringify(template));
  const r = local(['run', '--app', 'cdk-paths.json', '--job-queue', 'JobQueue', '--job-definition', 'App/Echo']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Echo\t[0-9a-f-]{36}\tSUCCEEDED\n$/);
});

test('bad input exits 2: an unknown queue lists the known ones; a bad flag value names the flag', () => {
  const q = local(['run', '--app', 'template.json', '--job-queue', 'nope', '--job-definition', 'echo']);
  expect(q.code).toBe(2);
  expect(q.stderr).toContain(
    '--job-queue "nope": no job queue with that name, ARN, logical id or ' + 'construct path. Known queues: q (Queue).',
  );
  const n = local([
    'run',
    '--app',
    'template.json',
    '--job-queue',
    'q',
    '--job-definition',
    'echo',
    '--array-size',
    '1',
  ]);
  expect(n.code).toBe(2);
  expect(n.stderr).toContain('--array-size "1" is not valid: an integer from 2 to 10000.');
});

test('a Docker engine that is down exits 3 with a clear message', () => {
  const r = local(['run', '--app', 'template.json', '--job-queue', 'q', '--job-definition', 'echo'], {
    DOCKER_HOST: `unix://${path.join(dir, 'no.sock')}`,
  });
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(
    new RegExp(
      String.raw`BATCHKIT-DOCKER-001: Docker engine not reachable at unix:\/\/` +
        String.raw`.*no\.sock: .* Fix: start it \(scripts\/dev-setup\.sh\) or s` +
        String.raw`et DOCKER_HOST`,
    ),
  );
});

test('the local command path does not load aws-cdk-lib', () => {
  const script = `
    require(${JSON.stringify(path.join(REPO_ROOT, 'dist/lib/cli/index.js'))});
    require(${JSON.stringify(path.join(REPO_ROOT, 'dist/lib/cli/local/index.js'))});
    const loaded = Object.keys(require.cache).filter((k) => k.includes('/node_modules/aws-cdk-lib/'));
    process.stdout.write(String(loaded.length));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('0');
  expect(CLI).toMatch(/batchkit\.js$/);
});

test('run --follow prints each line as the container writes it: "first" long before the job is final', async () => {
  const run = startCli(
    [
      'local',
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      'slow',
      '--follow',
      '--store',
      path.join(dir, '.batchkit'),
    ],
    { cwd: dir },
  );
  await run.waitFor('stdout', /^slow \| first\n/);
  const firstAt = Date.now();
  // Nothing after it yet: neither the next line nor the outcome.
  expect(run.stdout()).toBe('slow | first\n');
  expect(await run.exited).toBe(0);
  expect(Date.now() - firstAt).toBeGreaterThanOrEqual(2000);
  const [, jobId] =
    new RegExp(
      String.raw`^slow \| first\nslow \| second\nslow \| to stderr\nslow\t(\S` + String.raw`+)\tSUCCEEDED\n$`,
    ).exec(run.stdout()) ?? [];
  expect(jobId).toBeDefined();
  // The stored log is the container's whole output, in order, stderr included.
  const logs = local(['logs', jobId]);
  expect(
    logs.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^\S+Z /, '')),
  ).toEqual(['stdout first', 'stdout second', 'stderr to stderr']);
});

test('logs --follow tails a running job until it ends (here re-attached after its batchkit was killed)', async () => {
  const store = path.join(dir, '.batchkit-follow');
  const run = startCli(
    ['local', 'run', '--app', 'template.json', '--job-queue', 'q', '--job-definition', 'slow', '--store', store],
    { cwd: dir },
  );
  const [, jobId] = await run.waitFor('stderr', /slow \((\S+)\) RUNNING\n/);
  await new Promise((r) => setTimeout(r, 500));
  run.child.kill('SIGKILL');
  await run.exited;
  const follow = startCli(['local', 'logs', jobId, '--follow', '--store', store], { cwd: dir });
  await follow.waitFor('stdout', / stdout first\n/);
  expect(follow.stdout()).not.toContain('second');
  expect(await follow.exited).toBe(0);
  expect(
    follow
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^\S+Z /, '')),
  ).toEqual(['stdout first', 'stdout second', 'stderr to stderr']);
  const described = runCli(['local', 'describe', jobId, '--json', '--store', store], { cwd: dir });
  expect(JSON.parse(described.stdout).jobs[0].status).toBe('SUCCEEDED');
  // On a final job it prints the stored log and returns.
  const again = runCli(['local', 'logs', jobId, '--follow', '--store', store], { cwd: dir });
  expect(again.code).toBe(0);
  expect(again.stdout).toBe(follow.stdout());
});
