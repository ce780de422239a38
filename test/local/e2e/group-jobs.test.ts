/**
 * Multi-container jobs on the real engine (image local/busybox:test): the containers of an ECS
 * Fargate task and of an EKS pod with `hostNetwork: false` share one network namespace of their own
 * (a server on 127.0.0.1 in one container is reached from another), share scratch volumes, and an
 * EKS pod's init containers run in order before the containers; nothing is left on the engine. A
 * group running when batchkit stops is resumed by the next start and ends as if it had not stopped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import { LocalExecutor } from '../../../lib/local/executor';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
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
  'for i in $(seq 1 50); do r=$(nc -w 2 127.0.0.1 7070 </dev/null 2>/dev/null) && [ ' +
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
            command: ['sh', '-c', `${connect.replace('exit 0', '{ cat /shared/note; ls /sys/class/net; exit 0; }')}`],
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
          // Grouped: the client exits only once it got the server's answer (else it would exit after its first try).
          args: [connect.replace('exit 0', '{ cat /work/order; exit 0; }')],
          resources: { limits: { cpu: '250m', memory: '64Mi' } },
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
      ],
      volumes: [{ name: 'work', emptyDir: {} }],
    },
  },
};

let groupModel: BatchModel;
/**
 * A Fargate task whose containers wait for a file in a host directory (`coord`), so the test decides
 * when they move on: the sidecar `a` then runs until the task stops it (SIGTERM: it exits 5), the
 * essential `b` exits 0.
 */
function waiters(coord: string): LoadedJobDefinition {
  const wait = 'while [ ! -f /coord/go ]; do sleep 0.2; done';
  const scripts: Record<string, string> = {
    a: `trap 'echo a-stopped; exit 5' TERM; echo a-up; ${wait}; echo a-after; while :; do sleep 1; done`,
    b: `echo b-up; ${wait}; echo b-done`,
  };
  return {
    jobDefinitionName: 'waiters',
    type: 'container',
    revision: 1,
    platformCapabilities: ['FARGATE'],
    ecsProperties: {
      taskProperties: [
        {
          executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
          volumes: [{ name: 'scratch' }, { name: 'coord', host: { sourcePath: coord } }],
          containers: ['a', 'b'].map((name) => ({
            name,
            image: IMAGE,
            essential: name === 'b',
            command: ['sh', '-c', scripts[name]],
            mountPoints: [
              { sourceVolume: 'scratch', containerPath: '/scratch' },
              { sourceVolume: 'coord', containerPath: '/coord', readOnly: true },
            ],
            resourceRequirements: res,
          })),
        },
      ],
    },
  };
}

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
    jobDefinitions: [ecsTask, eksPod],
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

test('a group running when batchkit stops is resumed by the next start and ends as if it had not stopped', async () => {
  const store = mkdtempSync(path.join(tmpdir(), 'batchkit-e2e-groups-'));
  const coord = mkdtempSync(path.join(tmpdir(), 'batchkit-e2e-coord-'));
  const model = { ...groupModel, jobDefinitions: [...groupModel.jobDefinitions, waiters(coord)] };
  const runtime = new DockerRuntime();
  const open = (runId: string) =>
    LocalExecutor.open({ model, runtime, storeDir: store, runId, maxVcpus: 2, maxMemoryMiB: 4096 });
  const mine = async (id: string) => (await runtime.list()).filter((c) => c.labels[LABELS.jobId] === id);
  const until = async (what: string, ok: () => Promise<boolean> | boolean) => {
    for (const deadline = Date.now() + 60_000; !(await ok()); await new Promise((r) => setTimeout(r, 200)))
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
  };
  try {
    const a = await open(`e2e-groups-a-${process.pid}`);
    const { jobId } = a.submitJob({ jobName: 'waiters', jobQueue: 'fq', jobDefinition: 'waiters' });
    const streams = (e: LocalExecutor) =>
      (e.describeJobs([jobId])[0].ecsProperties?.taskProperties[0].containers ?? []).map((c) => c.logStreamName ?? '');
    const lines = (e: LocalExecutor) => streams(e).map((n) => (n ? e.logStreamLines(n).map((l) => l.message) : []));
    // Both containers run and their first line is stored.
    await until('the group runs', () => JSON.stringify(lines(a)) === JSON.stringify([['a-up'], ['b-up']]));
    await a.close(); // detaches: the containers keep running
    expect((await mine(jobId)).map((c) => [c.labels[LABELS.member], c.running]).sort()).toEqual([
      ['.netns', true],
      ['a', true],
      ['b', true],
    ]);
    // While batchkit is down, both containers go on; the essential one exits 0.
    writeFileSync(path.join(coord, 'go'), '');
    await until('b exited', async () => (await mine(jobId)).some((c) => c.labels[LABELS.member] === 'b' && !c.running));
    const b = await open(`e2e-groups-b-${process.pid}`);
    expect([b.recovery.reattached, b.recovery.vanished]).toEqual([[jobId], []]);
    const d = await b.waitForJob(jobId);
    expect([d.status, d.statusReason, d.attempts?.length]).toEqual([
      'SUCCEEDED',
      'Essential container in task exited',
      1,
    ]);
    expect(d.attempts?.[0]?.taskProperties?.[0]?.containers?.map((c) => [c.name, c.exitCode])).toEqual([
      ['a', 5],
      ['b', 0],
    ]);
    // Each line once: those stored before the stop are not stored again.
    expect(lines(b)).toEqual([
      ['a-up', 'a-after', 'a-stopped'],
      ['b-up', 'b-done'],
    ]);
    await b.close();
    expect(await mine(jobId)).toEqual([]);
    const volumes = await runtime.docker.listVolumes({ filters: { label: [`${LABELS.jobId}=${jobId}`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
  } finally {
    rmSync(store, { recursive: true, force: true });
    rmSync(coord, { recursive: true, force: true });
  }
}, 120_000);
