/**
 * `batchkit local serve` against the AWS CLI where AWS's answers matter to client code: CancelJob /
 * TerminateJob of unknown jobs, evaluateOnExit actions in any case, job logs through
 * `aws logs ... --endpoint-url` (and from inside a job through AWS_ENDPOINT_URL_LOGS), and requests
 * signed for other regions.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { SERVE_APP, awsBatch, startServe, type ServeProcess } from './serve-support';

let store: string;
let server: ServeProcess;
const aws = (...args: string[]) => awsBatch(server.url, args);

/** `aws <service> <args>` signed (dummy credentials) for `region`. */
function signed(
  region: string,
  service: string,
  args: readonly string[],
): { code: number; json: unknown; stderr: string } {
  const r = spawnSync('aws', [service, ...args, '--endpoint-url', server.url, '--region', region, '--output', 'json'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    timeout: 60_000,
  });
  const text = r.stdout.trim();
  return { code: r.status ?? -1, json: text ? (JSON.parse(text) as unknown) : undefined, stderr: r.stderr };
}

const RESOURCES = JSON.stringify([
  { type: 'VCPU', value: '1' },
  { type: 'MEMORY', value: '64' },
]);

beforeAll(async () => {
  store = mkdtempSync(path.join(tmpdir(), 'batchkit-parity-'));
  server = await startServe(['--app', SERVE_APP, '--store', store]);
});
afterAll(async () => {
  await server.stop('SIGTERM');
  rmSync(store, { recursive: true, force: true });
});

interface Detail {
  status: string;
  container?: { exitCode?: number; logStreamName?: string };
  attempts?: unknown[];
}

async function waitFinal(id: string): Promise<Detail> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [j] = (aws('describe-jobs', '--jobs', id).json as { jobs: Detail[] }).jobs;
    if (j.status === 'SUCCEEDED' || j.status === 'FAILED') return j;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${j.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test('terminate-job and cancel-job of an unknown job id succeed with an empty answer, as on AWS', () => {
  for (const op of ['terminate-job', 'cancel-job']) {
    const r = aws(op, '--job-id', '0a1b2c3d-0000-4000-8000-000000000000', '--reason', 'cleanup');
    // Exit 0 and no output: the CLI prints nothing for the empty {} answer (an error would exit 254 with a message).
    expect([op, r.code, r.json, r.stderr]).toEqual([op, 0, undefined, '']);
  }
});

test('evaluateOnExit actions are accepted in any case, returned as registered and applied', async () => {
  const strategy = JSON.stringify({
    attempts: 3,
    evaluateOnExit: [
      { onExitCode: '3', action: 'Exit' },
      { onExitCode: '*', action: 'retry' },
    ],
  });
  const props = JSON.stringify({
    image: 'local/busybox:test',
    command: ['sh', '-c', 'exit 3'],
    resourceRequirements: JSON.parse(RESOURCES) as unknown,
  });
  const r = aws(
    'register-job-definition',
    '--job-definition-name',
    'exit-three',
    '--type',
    'container',
    '--container-properties',
    props,
    '--retry-strategy',
    strategy,
  );
  expect(r.code).toBe(0);
  const d = aws('describe-job-definitions', '--job-definitions', 'exit-three:1').json as {
    jobDefinitions: Array<{
      retryStrategy: { evaluateOnExit: Array<{ action: string }> };
      platformCapabilities?: string[];
    }>;
  };
  expect(d.jobDefinitions[0].retryStrategy.evaluateOnExit.map((e) => e.action)).toEqual(['Exit', 'retry']);
  expect(d.jobDefinitions[0].platformCapabilities).toBeUndefined();
  const job = aws(
    'submit-job',
    '--job-name',
    'exit-three',
    '--job-queue',
    'serve-queue',
    '--job-definition',
    'exit-three',
  ).json as { jobId: string };
  const final = await waitFinal(job.jobId);
  expect([final.status, final.container?.exitCode, final.attempts?.length]).toEqual(['FAILED', 3, 1]);
});

test('job output is read with aws logs get-log-events and filter-log-events; jobs reach the Logs API too', async () => {
  const script = [
    'echo starting',
    'echo "ERROR disk full"',
    // The job reads its own log group through AWS_ENDPOINT_URL_LOGS, as an SDK in the container would.
    'wget -q -O - --header "Content-Type: application/x-amz-json-1.1" ' +
      '--header "X-Amz-Target: Logs_20140328.DescribeLogGroups" --post-data "{}" "$AWS_ENDPOINT_URL_LOGS"; echo',
    'echo done',
  ].join('; ');
  const props = JSON.stringify({
    image: 'local/busybox:test',
    command: ['sh', '-c', script],
    resourceRequirements: JSON.parse(RESOURCES) as unknown,
  });
  expect(
    aws(
      'register-job-definition',
      '--job-definition-name',
      'talker',
      '--type',
      'container',
      '--container-properties',
      props,
    ).code,
  ).toBe(0);
  const job = aws('submit-job', '--job-name', 'talker', '--job-queue', 'serve-queue', '--job-definition', 'talker')
    .json as { jobId: string };
  const final = await waitFinal(job.jobId);
  expect(final.status).toBe('SUCCEEDED');
  const stream = final.container?.logStreamName ?? '';
  expect(stream).toMatch(/^talker\/default\/[0-9a-f]{32}$/);

  const logs = (args: string[]) => signed('us-east-1', 'logs', args);
  const events = logs([
    'get-log-events',
    '--log-group-name',
    '/aws/batch/job',
    '--log-stream-name',
    stream,
    '--start-from-head',
  ]);
  expect(events.code).toBe(0);
  const messages = (events.json as { events: Array<{ message: string; timestamp: number }> }).events.map(
    (e) => e.message,
  );
  expect(messages[0]).toBe('starting');
  expect(messages[1]).toBe('ERROR disk full');
  expect(JSON.parse(messages[2])).toMatchObject({
    logGroups: [
      { logGroupName: '/aws/batch/job', logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/batch/job' },
    ],
  });
  expect(messages[3]).toBe('done');

  const filtered = logs([
    'filter-log-events',
    '--log-group-name',
    '/aws/batch/job',
    '--log-stream-names',
    stream,
    '--filter-pattern',
    '?ERROR ?done',
  ]);
  expect(
    (filtered.json as { events: Array<{ message: string; logStreamName: string }> }).events.map((e) => [
      e.message,
      e.logStreamName,
    ]),
  ).toEqual([
    ['ERROR disk full', stream],
    ['done', stream],
  ]);
  const streams = logs([
    'describe-log-streams',
    '--log-group-name',
    '/aws/batch/job',
    '--log-stream-name-prefix',
    'talker/',
  ]);
  expect(
    (streams.json as { logStreams: Array<{ logStreamName: string }> }).logStreams.map((s) => s.logStreamName),
  ).toEqual([stream]);
  const missing = logs(['get-log-events', '--log-group-name', '/nope', '--log-stream-name', stream]);
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toMatch(
    new RegExp(
      String.raw`\(ResourceNotFoundException\) when calling the GetLogEvents ` +
        String.raw`operation: The specified log group does not exist: \/nope`,
    ),
  );
});

test('requests signed for another region are served there, with that region in the ARNs', () => {
  const eu = (args: string[]) => signed('eu-central-1', 'batch', args);
  expect((eu(['describe-job-queues']).json as { jobQueues: unknown[] }).jobQueues).toEqual([]);
  const props = JSON.stringify({
    image: 'local/busybox:test',
    command: ['true'],
    resourceRequirements: JSON.parse(RESOURCES) as unknown,
  });
  const r = eu([
    'register-job-definition',
    '--job-definition-name',
    'frankfurt',
    '--type',
    'container',
    '--container-properties',
    props,
  ]);
  expect(r.json).toEqual({
    jobDefinitionName: 'frankfurt',
    jobDefinitionArn: 'arn:aws:batch:eu-central-1:123456789012:job-definition/frankfurt:1',
    revision: 1,
  });
  const home = signed('us-east-1', 'batch', ['describe-job-queues']).json as {
    jobQueues: Array<{ jobQueueArn: string }>;
  };
  expect(home.jobQueues.map((q) => q.jobQueueArn)).toEqual([
    'arn:aws:batch:us-east-1:123456789012:job-queue/serve-queue',
  ]);
  expect(
    (
      signed('us-east-1', 'batch', ['describe-job-definitions', '--job-definition-name', 'frankfurt']).json as {
        jobDefinitions: unknown[];
      }
    ).jobDefinitions,
  ).toEqual([]);
});

test('register-job-definition --eks-properties and --ecs-properties are accepted and described back', () => {
  const pod = JSON.stringify({
    podProperties: {
      initContainers: [{ name: 'fetch', image: 'busybox' }],
      containers: [{ name: 'main', image: 'busybox', resources: { limits: { cpu: '1', memory: '256Mi' } } }],
      volumes: [{ name: 'work', emptyDir: {} }],
    },
  });
  const r = aws(
    'register-job-definition',
    '--job-definition-name',
    'cli-pod',
    '--type',
    'container',
    '--eks-properties',
    pod,
  );
  expect([r.code, r.stderr]).toEqual([0, '']);
  const task = JSON.stringify({
    taskProperties: [
      { containers: [{ name: 'main', image: 'busybox', resourceRequirements: JSON.parse(RESOURCES) as unknown }] },
    ],
  });
  expect(
    aws('register-job-definition', '--job-definition-name', 'cli-task', '--type', 'container', '--ecs-properties', task)
      .code,
  ).toBe(0);
  const d = aws('describe-job-definitions', '--job-definitions', 'cli-pod:1', 'cli-task:1').json as {
    jobDefinitions: Array<{
      jobDefinitionName: string;
      containerOrchestrationType: string;
      eksProperties?: { podProperties: { initContainers: Array<{ name: string }> } };
    }>;
  };
  expect(d.jobDefinitions.map((j) => [j.jobDefinitionName, j.containerOrchestrationType])).toEqual([
    ['cli-pod', 'EKS'],
    ['cli-task', 'ECS'],
  ]);
  expect(d.jobDefinitions[0].eksProperties?.podProperties.initContainers.map((c) => c.name)).toEqual(['fetch']);
  // An EKS job on a queue of ECS environments is accepted and stays RUNNABLE, blocked, as on AWS
  // (pods run on EKS environments: serve-awscli-pods.test.ts).
  const job = aws('submit-job', '--job-name', 'p', '--job-queue', 'serve-queue', '--job-definition', 'cli-pod')
    .json as { jobId: string };
  const [blocked] = (
    aws('describe-jobs', '--jobs', job.jobId).json as { jobs: Array<{ status: string; statusReason?: string }> }
  ).jobs;
  expect(blocked.status).toBe('RUNNABLE');
  expect(blocked.statusReason).toMatch(
    new RegExp(
      String.raw`^MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - .*runs ECS jobs` +
        String.raw` but the job definition is for EKS`,
    ),
  );
});
