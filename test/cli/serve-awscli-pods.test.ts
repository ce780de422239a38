/**
 * `batchkit local serve` and the AWS CLI on multi-container jobs, on the real engine: an EKS pod
 * job (an EKS compute environment and queue created with the CLI, `--eks-properties-override`) and
 * an ECS task job whose containers share the host network, answered by `describe-jobs` with each
 * container's exit code.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { SERVE_APP, awsBatch, startServe, type ServeProcess } from './serve-support';

let store: string;
let server: ServeProcess;
const aws = (...args: string[]) => awsBatch(server.url, args);

beforeAll(async () => {
  store = mkdtempSync(path.join(tmpdir(), 'batchkit-pods-cli-'));
  server = await startServe(['--app', SERVE_APP, '--store', store]);
});
afterAll(async () => {
  await server.stop('SIGTERM');
  rmSync(store, { recursive: true, force: true });
});

interface Detail {
  status: string;
  statusReason?: string;
  startedAt?: number;
  stoppedAt?: number;
  eksProperties?: { podProperties?: { containers?: Array<{ name: string; args?: string[]; exitCode?: number }> } };
  eksAttempts?: Array<{ initContainers?: Array<{ name: string; exitCode?: number }> }>;
  ecsProperties?: {
    taskProperties: Array<{ containers: Array<{ name: string; exitCode?: number; logStreamName?: string }> }>;
  };
}

async function waitFinal(id: string): Promise<Detail> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [j] = (aws('describe-jobs', '--jobs', id).json as { jobs: Detail[] }).jobs;
    if (j.status === 'SUCCEEDED' || j.status === 'FAILED') return j;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${j.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test(
  'aws batch submit-job runs an EKS pod: init container first, the ' + 'override applied, exit codes described',
  async () => {
    const ce = aws(
      'create-compute-environment',
      '--compute-environment-name',
      'eks-ce',
      '--type',
      'MANAGED',
      '--eks-configuration',
      JSON.stringify({
        eksClusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/jobs',
        kubernetesNamespace: 'batch',
      }),
      '--compute-resources',
      JSON.stringify({
        type: 'EC2',
        maxvCpus: 2,
        subnets: ['subnet-0123456789abcdef0'],
        instanceRole: 'arn:aws:iam::123456789012:instance-profile/eks',
        instanceTypes: ['m5'],
      }),
    );
    expect(ce.code).toBe(0);
    expect(
      aws(
        'create-job-queue',
        '--job-queue-name',
        'eks-queue',
        '--priority',
        '1',
        '--compute-environment-order',
        'order=1,computeEnvironment=eks-ce',
      ).code,
    ).toBe(0);
    const pod = {
      podProperties: {
        initContainers: [
          {
            name: 'prepare',
            image: 'local/busybox:test',
            command: ['sh', '-c'],
            args: ['echo prepared > /work/state'],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
          },
        ],
        containers: [
          {
            name: 'main',
            image: 'local/busybox:test',
            command: ['sh', '-c'],
            args: ['exit 1'],
            resources: { limits: { cpu: '500m', memory: '64Mi' } },
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
          },
        ],
        volumes: [{ name: 'work', emptyDir: {} }],
      },
    };
    expect(
      aws(
        'register-job-definition',
        '--job-definition-name',
        'cli-pod',
        '--type',
        'container',
        '--eks-properties',
        JSON.stringify(pod),
      ).code,
    ).toBe(0);
    // The definition's args fail; the override's read what the init container wrote and succeed.
    const override = JSON.stringify({
      podProperties: { containers: [{ name: 'main', args: ['grep -q prepared /work/state'] }] },
    });
    const job = aws(
      'submit-job',
      '--job-name',
      'pod',
      '--job-queue',
      'eks-queue',
      '--job-definition',
      'cli-pod',
      '--eks-properties-override',
      override,
    ).json as { jobId: string };
    const d = await waitFinal(job.jobId);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.eksAttempts?.[0].initContainers).toEqual([{ name: 'prepare', exitCode: 0 }]);
    expect(d.eksProperties?.podProperties?.containers?.map((c) => [c.name, c.args, c.exitCode])).toEqual([
      ['main', ['grep -q prepared /work/state'], 0],
    ]);
    const ghost = aws(
      'submit-job',
      '--job-name',
      'pod',
      '--job-queue',
      'eks-queue',
      '--job-definition',
      'cli-pod',
      '--eks-properties-override',
      JSON.stringify({ podProperties: { containers: [{ name: 'ghost' }] } }),
    );
    expect(ghost.code).not.toBe(0);
    expect(ghost.stderr).toMatch(/ClientException.*eksPropertiesOverride\.podProperties\.containers\[0\]\.name/s);
  },
  120_000,
);

test('aws batch submit-job runs an ECS task: the essential container decides the exit code', async () => {
  const res = [
    { type: 'VCPU', value: '0.5' },
    { type: 'MEMORY', value: '64' },
  ];
  const task = {
    taskProperties: [
      {
        containers: [
          {
            name: 'sidecar',
            image: 'local/busybox:test',
            essential: false,
            command: ['sleep', '300'],
            resourceRequirements: res,
            stopTimeout: 2,
          },
          {
            name: 'main',
            image: 'local/busybox:test',
            command: ['sh', '-c', 'echo main; exit 5'],
            resourceRequirements: res,
          },
        ],
      },
    ],
  };
  expect(
    aws(
      'register-job-definition',
      '--job-definition-name',
      'cli-task',
      '--type',
      'container',
      '--ecs-properties',
      JSON.stringify(task),
    ).code,
  ).toBe(0);
  const job = aws('submit-job', '--job-name', 'task', '--job-queue', 'serve-queue', '--job-definition', 'cli-task')
    .json as { jobId: string };
  const d = await waitFinal(job.jobId);
  expect([d.status, d.statusReason]).toEqual(['FAILED', 'Essential container in task exited']);
  const containers = d.ecsProperties?.taskProperties[0].containers ?? [];
  // The task stopped the sidecar: `sleep` as PID 1 ignores SIGTERM, so SIGKILL followed after its stopTimeout of 2
  // s (137).
  expect(containers.map((c) => [c.name, c.exitCode])).toEqual([
    ['sidecar', 137],
    ['main', 5],
  ]);
  // Well under the default 30 s grace period.
  expect((d.stoppedAt ?? 0) - (d.startedAt ?? 0)).toBeLessThan(20_000);
  const logs = spawnLogs(containers[1].logStreamName ?? '');
  expect(logs).toEqual(['main']);
}, 120_000);

/** The messages of a log stream through `aws logs get-log-events`. */
function spawnLogs(stream: string): string[] {
  const r = spawnSync(
    'aws',
    [
      'logs',
      'get-log-events',
      '--log-group-name',
      '/aws/batch/job',
      '--log-stream-name',
      stream,
      '--start-from-head',
      '--endpoint-url',
      server.url,
      '--region',
      'us-east-1',
      '--no-sign-request',
      '--output',
      'json',
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_PAGER: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeout: 60_000,
    },
  );
  return (JSON.parse(r.stdout) as { events: Array<{ message: string }> }).events.map((e) => e.message);
}
