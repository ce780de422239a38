/**
 * Multi-container jobs on the real engine (image local/busybox:test): the containers of an ECS
 * Fargate task and of an EKS pod with `hostNetwork: false` share one network namespace of their own
 * (a server on 127.0.0.1 in one container is reached from another), share scratch volumes, and an
 * EKS pod's init containers run in order before the containers; nothing is left on the engine. A
 * group running when batchkit stops is not left running by the next start.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import { LocalExecutor } from '../../../lib/local/executor';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { GROUP_STOPPED } from '../../../lib/local/store/recovery';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { LABELS } from '../../../lib/local/runtime/container-runtime';
import { ce, dockerHarness, IMAGE, queue, type DockerHarness } from './support';

let h: DockerHarness;
const res = [
  { type: 'VCPU' as const, value: '0.25' },
  { type: 'MEMORY' as const, value: '64' },
];

// The server answers one connection (on every address of the group's own namespace); the client retries until the
// server listens (bounded: 50 × 0.2 s).
const serve = 'echo "hello from $HOSTNAME_ROLE" | nc -l -p 7070 && echo served';
const connect =
  'for i in $(seq 1 50); do r=$(nc -w 2 127.0.0.1 7070 </dev/null) && [ ' +
  '-n "$r" ] && echo "got: $r" && exit 0; sleep 0.2; done; echo "no server"; exit 1';

const ecsTask: LoadedJobDefinition = {
  jobDefinitionName: 'net-task',
  type: 'container',
  revision: 1,
  platformCapabilities: ['FARGATE'],
  ecsProperties: {
    taskProperties: [
      {
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        volumes: [{ name: 'shared' }],
        containers: [
          {
            name: 'server',
            image: IMAGE,
            essential: false,
            command: ['sh', '-c', serve],
            environment: [{ name: 'HOSTNAME_ROLE', value: 'server' }],
            resourceRequirements: res,
          },
          {
            name: 'client',
            image: IMAGE,
            // The server started; the writer wrote the note the client reads after the server's line.
            dependsOn: [
              { containerName: 'server', condition: 'START' },
              { containerName: 'writer', condition: 'SUCCESS' },
            ],
            // Also lists the network interfaces: only `lo` in a namespace of the group's own (the host has more).
            command: ['sh', '-c', `${connect.replace('exit 0', 'cat /shared/note; ls /sys/class/net; exit 0')}`],
            mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared' }],
            resourceRequirements: res,
          },
          {
            name: 'writer',
            image: IMAGE,
            essential: false,
            command: ['sh', '-c', 'echo written-by-writer > /data/note'],
            mountPoints: [{ sourceVolume: 'shared', containerPath: '/data' }],
            resourceRequirements: res,
          },
        ],
      },
    ],
  },
};

const eksPod: LoadedJobDefinition = {
  jobDefinitionName: 'net-pod',
  type: 'container',
  revision: 1,
  eksProperties: {
    podProperties: {
      hostNetwork: false,
      initContainers: [
        {
          name: 'first',
          image: IMAGE,
          command: ['sh', '-c'],
          args: ['echo first >> /work/order'],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
        {
          name: 'second',
          image: IMAGE,
          command: ['sh', '-c'],
          args: ['echo second >> /work/order'],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
      ],
      containers: [
        {
          name: 'server',
          image: IMAGE,
          command: ['sh', '-c'],
          args: [serve],
          env: [{ name: 'HOSTNAME_ROLE', value: 'pod-server' }],
          resources: { limits: { cpu: '250m', memory: '64Mi' } },
        },
        {
          name: 'client',
          image: IMAGE,
          command: ['sh', '-c'],
          args: [connect.replace('exit 0', 'cat /work/order; exit 0')],
          resources: { limits: { cpu: '250m', memory: '64Mi' } },
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
      ],
      volumes: [{ name: 'work', emptyDir: {} }],
    },
  },
};

let groupModel: BatchModel;
const sleepers: LoadedJobDefinition = {
  jobDefinitionName: 'sleepers',
  type: 'container',
  revision: 1,
  platformCapabilities: ['FARGATE'],
  ecsProperties: {
    taskProperties: [
      {
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        volumes: [{ name: 'scratch' }],
        containers: ['a', 'b'].map((name) => ({
          name,
          image: IMAGE,
          command: ['sh', '-c', `echo ${name}-up; sleep 120 & wait`],
          mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
          resourceRequirements: res,
        })),
      },
    ],
  },
};

beforeAll(async () => {
  const fargate = {
    computeEnvironmentName: 'fargate',
    type: 'MANAGED' as const,
    state: 'ENABLED' as const,
    computeResources: { type: 'FARGATE' as const, maxvCpus: 4, subnets: ['subnet-1'] },
  };
  groupModel = {
    ...emptyBatchModel(),
    computeEnvironments: [ce('ce1', 2), fargate],
    jobQueues: [queue('q', ['ce1']), queue('fq', ['fargate'])],
    jobDefinitions: [ecsTask, eksPod, sleepers],
  };
  h = await dockerHarness(groupModel);
});

afterAll(async () => {
  await h.close();
});

/** The stored lines of one container's log stream. */
function streamLines(name: string): string[] {
  return h.executor
    .logStreamLines(name)
    .map((e) => e.message)
    .filter((m) => m !== '');
}

test(
  'ECS task: the containers share one network namespace and a scratch ' + 'volume; the essential exit ends the job',
  async () => {
    const d = await h.run({ jobName: 'task', jobDefinition: 'net-task', jobQueue: 'fq' });
    expect(d.status).toBe('SUCCEEDED');
    const containers = d.ecsProperties?.taskProperties[0].containers ?? [];
    expect(containers.map((c) => [c.name, c.exitCode])).toEqual([
      ['server', 0],
      ['client', 0],
      ['writer', 0],
    ]);
    const client = containers.find((c) => c.name === 'client');
    expect(streamLines(client?.logStreamName ?? '')).toEqual(['got: hello from server', 'written-by-writer', 'lo']);
    expect(streamLines(containers[0].logStreamName ?? '')).toEqual(['served']);
    const left = (await h.runtime.list()).filter((c) => c.labels[LABELS.jobId] === d.jobId);
    expect(left).toEqual([]);
    const volumes = await h.runtime.docker.listVolumes({ filters: { label: [`${LABELS.jobId}=${d.jobId}`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
  },
  120_000,
);

test('EKS pod: init containers run in order first, then the containers share the pod network', async () => {
  const d = await h.run({ jobName: 'pod', jobDefinition: 'net-pod' });
  expect([d.status, d.statusReason]).toEqual(['SUCCEEDED', 'Essential container in task exited']);
  expect(d.eksAttempts?.[0].initContainers?.map((c) => [c.name, c.exitCode])).toEqual([
    ['first', 0],
    ['second', 0],
  ]);
  expect(d.eksProperties?.podProperties?.containers?.map((c) => [c.name, c.exitCode])).toEqual([
    ['server', 0],
    ['client', 0],
  ]);
  const taskId = d.eksProperties?.podProperties?.podName?.replace('aws-batch.', '');
  expect(streamLines(`net-pod/client/${taskId}`)).toEqual(['got: hello from pod-server', 'first', 'second']);
  expect((await h.runtime.list()).filter((c) => c.labels[LABELS.jobId] === d.jobId)).toEqual([]);
}, 120_000);

test('a group running when batchkit stops is stopped and removed at the next start; its attempt fails', async () => {
  const store = mkdtempSync(path.join(tmpdir(), 'batchkit-e2e-groups-'));
  const runtime = new DockerRuntime();
  const open = (runId: string) =>
    LocalExecutor.open({ model: groupModel, runtime, storeDir: store, runId, maxVcpus: 2, maxMemoryMiB: 4096 });
  try {
    const a = await open(`e2e-groups-a-${process.pid}`);
    const { jobId } = a.submitJob({ jobName: 'sleepers', jobQueue: 'fq', jobDefinition: 'sleepers' });
    const deadline = Date.now() + 60_000;
    while (
      a.describeJobs([jobId])[0].status !== 'RUNNING' ||
      (await runtime.list()).filter((c) => c.labels[LABELS.jobId] === jobId && c.running).length < 3
    ) {
      if (Date.now() > deadline) throw new Error('the group did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    await a.close(); // detaches: the containers keep running
    const mine = async () => (await runtime.list()).filter((c) => c.labels[LABELS.jobId] === jobId);
    expect((await mine()).map((c) => [c.labels[LABELS.member], c.running]).sort()).toEqual([
      ['.netns', true],
      ['a', true],
      ['b', true],
    ]);
    const before = await runtime.docker.listVolumes({ filters: { label: [`${LABELS.jobId}=${jobId}`] } });
    expect((before.Volumes ?? []).map((v) => v.Name)).toEqual([`batchkit-${jobId}-a1-scratch`]);
    const b = await open(`e2e-groups-b-${process.pid}`);
    expect(b.recovery.vanished).toEqual([jobId]);
    expect(await mine()).toEqual([]);
    const volumes = await runtime.docker.listVolumes({ filters: { label: [`${LABELS.jobId}=${jobId}`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
    const [d] = b.describeJobs([jobId]);
    expect([d.status, d.statusReason]).toEqual(['FAILED', GROUP_STOPPED]);
    await b.close();
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}, 120_000);
