/**
 * `batchkit submit --follow` end to end: the built CLI submits to `batchkit local serve` (real Docker) and prints
 * the job's CloudWatch Logs lines (the Logs API `serve` answers on its Batch port) while the job runs, then exits
 * with the job's outcome. The first job waits, after its first line, until the test lets it go: the line must be on
 * stdout before that, so it was printed as written, not at the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import { tmpdir } from 'os';
import * as path from 'path';
import { startCli } from '../_helpers/cli';
import { startServe, type ServeProcess } from './serve-support';

function template(): object {
  const definition = (name: string, attempts: number) => ({
    Type: 'AWS::Batch::JobDefinition',
    Properties: {
      JobDefinitionName: name,
      Type: 'container',
      RetryStrategy: { Attempts: attempts },
      ContainerProperties: {
        Image: 'local/busybox:test',
        Command: ['true'],
        ResourceRequirements: [
          { Type: 'VCPU', Value: '1' },
          { Type: 'MEMORY', Value: '64' },
        ],
      },
    },
  });
  return {
    Resources: {
      Env: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: {
          ComputeEnvironmentName: 'follow-ce',
          Type: 'MANAGED',
          ComputeResources: {
            Type: 'EC2',
            MinvCpus: 0,
            MaxvCpus: 2,
            InstanceTypes: ['m5.large'],
            Subnets: ['subnet-0123456789abcdef0'],
            SecurityGroupIds: ['sg-0123456789abcdef0'],
            InstanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          },
        },
      },
      Queue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: {
          JobQueueName: 'follow-queue',
          Priority: 1,
          ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Env' } }],
        },
      },
      Echo: definition('follow-echo', 1),
      Retried: definition('follow-retried', 2),
    },
  };
}

const ENV = {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

let dir: string;
let server: ServeProcess | undefined;
let gate: Server | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-submit-follow-'));
});
afterEach(async () => {
  await server?.stop('SIGTERM');
  server = undefined;
  await new Promise<void>((resolve) => (gate ? gate.close(() => resolve()) : resolve()));
  gate = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** An HTTP server on loopback that answers 404 until `open()`, then 200 (EC2 jobs share the host network). */
async function startGate(): Promise<{ url: string; open(): void }> {
  let opened = false;
  gate = createServer((_req, res) => {
    res.statusCode = opened ? 200 : 404;
    res.end();
  });
  await new Promise<void>((resolve) => gate?.listen(0, '127.0.0.1', resolve));
  const address = gate.address();
  if (address === null || typeof address === 'string') throw new Error(`gate listens on ${String(address)}`);
  return { url: `http://127.0.0.1:${address.port}/go`, open: () => (opened = true) };
}

test('prints the log lines in order while the job runs, then its outcome; exit 0 when it SUCCEEDED', async () => {
  const app = path.join(dir, 'FollowStack.template.json');
  writeFileSync(app, JSON.stringify(template()));
  server = await startServe(['--app', app, '--store', path.join(dir, 'store')]);
  const go = await startGate();
  const script =
    `echo first; echo 'second: with spaces'; until wget -q -O /dev/null ${go.url} 2>/dev/null; do sleep 0.2; done; ` +
    'echo third; echo fourth';
  const cli = startCli(
    [
      'submit',
      '--endpoint-url',
      server.url,
      '--job-queue',
      'follow-queue',
      '--job-definition',
      'follow-echo',
      '--job-name',
      'hello',
      '--poll-seconds',
      '0.2',
      '--follow',
      '--',
      'sh',
      '-c',
      script,
    ],
    { cwd: dir, env: ENV },
  );
  await cli.waitFor('stdout', /hello \| second: with spaces\n/, 90_000);
  // The job is still waiting at the gate: nothing after the second line yet.
  expect(cli.stdout()).toBe('hello | first\nhello | second: with spaces\n');
  go.open();
  const r = await cli.done;
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(
    new RegExp(
      '^hello \\| first\\nhello \\| second: with spaces\\nhello \\| third\\nhello \\| fourth\\n' +
        '[0-9a-f-]{36} SUCCEEDED \\(Essential container in task exited\\)\\n$',
    ),
  );
  expect(r.stderr).toMatch(/logs: CloudWatch Logs group \/aws\/batch\/job, stream follow-echo\/default\/\S+/);
}, 180_000);

test('a retried job: both attempts are printed in order, and a FAILED job exits 1', async () => {
  const app = path.join(dir, 'FollowStack.template.json');
  writeFileSync(app, JSON.stringify(template()));
  server = await startServe(['--app', app, '--store', path.join(dir, 'store')]);
  const cli = startCli(
    [
      'submit',
      '--endpoint-url',
      server.url,
      '--job-queue',
      'follow-queue',
      '--job-definition',
      'follow-retried',
      '--poll-seconds',
      '0.2',
      '--follow',
      '--',
      'sh',
      '-c',
      'echo "attempt $AWS_BATCH_JOB_ATTEMPT begins"; echo "attempt $AWS_BATCH_JOB_ATTEMPT fails"; exit 3',
    ],
    { cwd: dir, env: ENV },
  );
  const r = await cli.done;
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(
    new RegExp(
      '^follow-retried \\| attempt 1 begins\\nfollow-retried \\| attempt 1 fails\\n' +
        'follow-retried \\| attempt 2 begins\\nfollow-retried \\| attempt 2 fails\\n' +
        '[0-9a-f-]{36} FAILED \\(Essential container in task exited\\)\\n$',
    ),
  );
}, 180_000);

test('--follow with --no-wait or --json is refused before anything is submitted (exit 2)', async () => {
  for (const other of ['--no-wait', '--json']) {
    const cli = startCli(
      [
        'submit',
        '--endpoint-url',
        'http://127.0.0.1:9',
        '--job-queue',
        'q',
        '--job-definition',
        'd',
        '--follow',
        other,
      ],
      { cwd: dir, env: ENV },
    );
    const r = await cli.done;
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `batchkit: error BATCHKIT-CLI-PROVISION-003: --follow cannot be combined with ${other}. ` +
        'Fix: drop --follow, or the other flag: --follow waits for the job and prints its log on stdout.\n',
    });
  }
});
