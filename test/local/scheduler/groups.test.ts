/**
 * Multi-container jobs on the fake engine: an ECS task's containers (dependsOn, essential, the
 * task stopping, exit code, retries, timeout, TerminateJob, overrides, capacity) and an EKS pod's
 * init containers and containers (order, exit rule, overrides), with the DescribeJobs shapes.
 */
import { existsSync, mkdtempSync, opendirSync, readdirSync, readFileSync, statSync, type Dir } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import type { TaskContainerProperties } from '../../../lib/core/model/job-definition-pods';
import { REASONS } from '../../../lib/local/attempt-runner';
import { NOT_STARTED } from '../../../lib/local/scheduler/group-run';
import type { FakeScript } from '../../../lib/testing/fake-runtime';
import type { RuntimeMount } from '../../../lib/local/runtime/container-runtime';
import { harness, model } from './fixture';

const res = (vcpus: string, memory: string) => [
  { type: 'VCPU' as const, value: vcpus },
  { type: 'MEMORY' as const, value: memory },
];

function task(containers: TaskContainerProperties[], extra: Partial<LoadedJobDefinition> = {}): LoadedJobDefinition {
  return {
    jobDefinitionName: 'task',
    type: 'container',
    revision: 1,
    ecsProperties: { taskProperties: [{ containers, volumes: [{ name: 'shared' }] }] },
    ...extra,
  };
}

/**
 * setup (non-essential, runs first), sidecar (non-essential, never exits by itself), main (essential, after setup
 * succeeded).
 */
function sidecarTask(extra: Partial<LoadedJobDefinition> = {}): LoadedJobDefinition {
  return task(
    [
      {
        name: 'setup',
        image: 'img',
        essential: false,
        command: ['setup', 'Ref::greeting'],
        resourceRequirements: res('0.5', '64'),
      },
      {
        name: 'sidecar',
        image: 'img',
        essential: false,
        resourceRequirements: res('0.5', '64'),
        mountPoints: [{ sourceVolume: 'shared', containerPath: '/data' }],
      },
      {
        name: 'main',
        image: 'img',
        dependsOn: [{ containerName: 'setup', condition: 'SUCCESS' }],
        resourceRequirements: res('1', '128'),
        mountPoints: [{ sourceVolume: 'shared', containerPath: '/in' }],
      },
    ],
    { parameters: { greeting: 'hi' }, ...extra },
  );
}

/** Behaviour by container name: setup 1 s, sidecar 100 s, main 5 s, unless `over` says otherwise. */
function byMember(over: Record<string, { exitCode?: number; durationMs?: number }> = {}): FakeScript {
  const base: Record<string, { exitCode?: number; durationMs?: number }> = {
    setup: { durationMs: 1000 },
    sidecar: { durationMs: 100_000 },
    main: { durationMs: 5000 },
  };
  return (spec) => ({ ...(base[spec.member ?? ''] ?? { durationMs: 1000 }), ...(over[spec.member ?? ''] ?? {}) });
}

describe('ECS multi-container jobs', () => {
  test(
    'dependsOn SUCCESS orders the start, the essential exit stops the task, ' +
      'containers share the network and volumes',
    async () => {
      const h = await harness(model([sidecarTask()]), byMember());
      const t0 = h.clock.now();
      const { jobId } = h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' });
      await h.settle(20_000);
      expect(h.runtime.started.map((s) => s.member)).toEqual(['setup', 'sidecar', 'main']);
      const [setup, sidecar, main] = h.runtime.started;
      expect(setup.command).toEqual(['setup', 'hi']);
      for (const s of h.runtime.started) {
        expect(s.network).toBe('host'); // EC2: the host's namespace, shared by the group
        expect(s.environment).toMatchObject({
          AWS_BATCH_JOB_ID: jobId,
          AWS_BATCH_JOB_ATTEMPT: '1',
          AWS_BATCH_CE_NAME: 'ce1',
          AWS_BATCH_JQ_NAME: 'q',
        });
      }
      // One scratch volume of the attempt, mounted by both containers that name it.
      expect(sidecar.mounts).toEqual([
        { volumeName: `batchkit-${jobId}-a1-shared`, containerPath: '/data', readOnly: false },
      ]);
      expect(main.mounts).toEqual([
        { volumeName: `batchkit-${jobId}-a1-shared`, containerPath: '/in', readOnly: false },
      ]);
      expect(h.runtime.containers.find((c) => c.spec.member === 'main')?.startedAt).toBe(t0 + 1000);
      expect(h.runtime.containers.find((c) => c.spec.member === 'sidecar')?.signals).toEqual(['SIGTERM']);
      expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
      const [d] = h.executor.describeJobs([jobId]);
      expect(d.statusReason).toBe(REASONS.exited);
      expect(d.container).toBeUndefined();
      const containers = d.ecsProperties?.taskProperties[0].containers ?? [];
      expect(containers.map((c) => [c.name, c.exitCode])).toEqual([
        ['setup', 0],
        ['sidecar', 143],
        ['main', 0],
      ]);
      const taskId = d.ecsProperties?.taskProperties[0].taskArn?.split('/').pop();
      expect(containers.map((c) => c.logStreamName)).toEqual(
        ['setup', 'sidecar', 'main'].map((n) => `task/${n}/${taskId}`),
      );
      expect(d.attempts?.[0].taskProperties?.[0].containers?.map((c) => [c.name, c.exitCode, c.logStreamName])).toEqual(
        ['setup', 'sidecar', 'main'].map((n, i) => [n, [0, 143, 0][i], `task/${n}/${taskId}`]),
      );
    },
  );

  test("the job's exit code is the essential container's: 3 fails the attempt, evaluateOnExit retries it", async () => {
    let attempt = 0;
    const script: FakeScript = (spec) => {
      if (spec.member === 'main') attempt++;
      return byMember({ main: { exitCode: attempt === 1 ? 3 : 0, durationMs: 2000 } })(spec);
    };
    const def = sidecarTask({ retryStrategy: { attempts: 2, evaluateOnExit: [{ onExitCode: '3', action: 'RETRY' }] } });
    const h = await harness(model([def]), script);
    const { jobId } = h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' });
    await h.settle(30_000);
    expect(h.statuses(jobId)).toEqual([
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'SUCCEEDED',
    ]);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.attempts?.map((a) => a.taskProperties?.[0].containers?.find((c) => c.name === 'main')?.exitCode)).toEqual([
      3, 0,
    ]);
    expect(h.runtime.started.map((s) => `${s.member}@${s.attempt}`)).toEqual([
      'setup@1',
      'sidecar@1',
      'main@1',
      'setup@2',
      'sidecar@2',
      'main@2',
    ]);
  });

  test('a SUCCESS dependency that failed: the essential container never starts and the job fails', async () => {
    const h = await harness(model([sidecarTask()]), byMember({ setup: { exitCode: 1, durationMs: 1000 } }));
    const { jobId } = h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' });
    await h.settle(20_000);
    expect(h.runtime.started.map((s) => s.member)).toEqual(['setup', 'sidecar']);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('FAILED');
    const main = d.ecsProperties?.taskProperties[0].containers.find((c) => c.name === 'main');
    expect([main?.exitCode, main?.reason]).toEqual([undefined, NOT_STARTED]);
    expect(h.runtime.containers.find((c) => c.spec.member === 'sidecar')?.signals).toEqual(['SIGTERM']);
  });

  test('capacity is the sum of the containers; overrides apply by container name', async () => {
    const h = await harness(model([sidecarTask()], {}, 1), byMember());
    const { jobId } = h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' });
    await h.settle(2000);
    expect(h.executor.whyRunnable(jobId)[1]).toBe(
      'compute environment ce1 can never run it: needs 2 vCPUs, the environment holds at most 1 vCPUs (maxvCpus).',
    );
    const h2 = await harness(model([sidecarTask()]), byMember());
    const ok = h2.executor.submitJob({
      jobName: 't',
      jobQueue: 'q',
      jobDefinition: 'task',
      ecsPropertiesOverride: {
        taskProperties: [
          { containers: [{ name: 'main', command: ['run', 'fast'], environment: [{ name: 'MODE', value: 'x' }] }] },
        ],
      },
    });
    await h2.settle(20_000);
    const main = h2.runtime.started.find((s) => s.member === 'main');
    expect([main?.command, main?.environment.MODE]).toEqual([['run', 'fast'], 'x']);
    expect(h2.executor.describeJobs([ok.jobId])[0].ecsProperties?.taskProperties[0].containers[2].command).toEqual([
      'run',
      'fast',
    ]);
    expect(() =>
      h2.executor.submitJob({
        jobName: 't',
        jobQueue: 'q',
        jobDefinition: 'task',
        ecsPropertiesOverride: { taskProperties: [{ containers: [{ name: 'ghost' }] }] },
      }),
    ).toThrow(/ecsPropertiesOverride\.taskProperties\[0\]\.containers\[0\]\.name/);
  });

  test('the timeout and TerminateJob stop every container; neither is retried', async () => {
    const def = sidecarTask({ timeout: { attemptDurationSeconds: 60 }, retryStrategy: { attempts: 3 } });
    const h = await harness(model([def]), byMember({ main: { durationMs: 600_000 } }));
    const timed = h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' }).jobId;
    await h.settle(100_000);
    const [d] = h.executor.describeJobs([timed]);
    expect([d.status, d.statusReason, d.attempts?.length]).toEqual(['FAILED', REASONS.timeout, 1]);
    expect(d.stoppedAt! - d.startedAt!).toBe(60_000);
    expect(
      h.runtime.containers
        .filter((c) => c.spec.jobId === timed && c.spec.member !== 'setup')
        .map((c) => [c.spec.member, c.signals]),
    ).toEqual([
      ['sidecar', ['SIGTERM']],
      ['main', ['SIGTERM']],
    ]);
    const term = h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' }).jobId;
    await h.settle(5000);
    expect(h.executor.describeJobs([term])[0].status).toBe('RUNNING');
    h.executor.terminateJob(term, 'stop it');
    await h.settle(5000);
    expect(h.executor.describeJobs([term])[0]).toMatchObject({
      status: 'FAILED',
      statusReason: 'stop it',
      isTerminated: true,
    });
  });

  test(
    'an array job of a task: each child runs its own group with its index; ' + 'the parent ends when they did',
    async () => {
      const h = await harness(model([sidecarTask()]), byMember());
      const { jobId } = h.executor.submitJob({
        jobName: 't',
        jobQueue: 'q',
        jobDefinition: 'task',
        arrayProperties: { size: 2 },
      });
      await h.settle(30_000);
      const children = [`${jobId}:0`, `${jobId}:1`];
      expect(h.executor.describeJobs([jobId, ...children]).map((d) => d.status)).toEqual([
        'SUCCEEDED',
        'SUCCEEDED',
        'SUCCEEDED',
      ]);
      const mains = h.runtime.started.filter((s) => s.member === 'main');
      expect(mains.map((s) => [s.jobId, s.environment.AWS_BATCH_JOB_ARRAY_INDEX]).sort()).toEqual([
        [children[0], '0'],
        [children[1], '1'],
      ]);
      const child = h.executor.describeJobs([children[1]])[0];
      expect(child.ecsProperties?.taskProperties[0].containers.map((c) => c.exitCode)).toEqual([0, 143, 0]);
      expect(
        h.executor.describeJobs([jobId])[0].ecsProperties?.taskProperties[0].containers.map((c) => c.exitCode),
      ).toEqual([undefined, undefined, undefined]);
    },
  );

  test('HEALTHY conditions are refused at submission with a coded error', async () => {
    const def = task([
      { name: 'db', image: 'img', essential: false, resourceRequirements: res('1', '64') },
      { name: 'app', image: 'img', dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] },
    ]);
    const h = await harness(model([def]));
    expect(() => h.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' })).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-LOCAL-201',
        message: expect.stringMatching(/containers\[1\]\.dependsOn\[0\]\.condition: HEALTHY/),
      }),
    );
    expect(h.executor.listJobs({ jobQueue: 'q', jobStatus: 'SUBMITTED' })).toEqual([]);
  });
});

function pod(
  extra: Partial<NonNullable<LoadedJobDefinition['eksProperties']>['podProperties']> = {},
): LoadedJobDefinition {
  return {
    jobDefinitionName: 'pod',
    type: 'container',
    revision: 1,
    parameters: { what: 'data' },
    eksProperties: {
      podProperties: {
        initContainers: [
          {
            name: 'fetch',
            image: 'img',
            command: ['fetch'],
            args: ['Ref::what'],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
            resources: { requests: { cpu: '2', memory: '1Gi' } },
          },
          { name: 'unpack', image: 'img', volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [
          {
            name: 'main',
            image: 'img',
            resources: { limits: { cpu: '500m', memory: '256Mi' } },
            env: [{ name: 'A', value: '1' }],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
          },
          { name: 'helper', image: 'img', resources: { requests: { cpu: '250m', memory: '128Mi' } } },
        ],
        volumes: [{ name: 'work', emptyDir: {} }],
        ...extra,
      },
    },
  };
}

describe('EKS pod jobs', () => {
  test(
    'init containers run one after another, then the containers together; ' + 'the pod succeeds when all exit 0',
    async () => {
      const h = await harness(model([pod()]), (spec) => ({
        durationMs: spec.member === 'main' ? 5000 : spec.member === 'helper' ? 3000 : 1000,
      }));
      const t0 = h.clock.now();
      const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
      await h.settle(20_000);
      expect(h.runtime.containers.map((c) => [c.spec.member, (c.startedAt ?? 0) - t0])).toEqual([
        ['fetch', 0],
        ['unpack', 1000],
        ['main', 2000],
        ['helper', 2000],
      ]);
      const [fetch, , main] = h.runtime.started;
      expect([fetch.entrypoint, fetch.command]).toEqual([['fetch'], ['data']]);
      expect([main.vcpus, main.memoryMiB, main.environment.A, main.network]).toEqual([0.5, 256, '1', 'host']);
      expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
      const [d] = h.executor.describeJobs([jobId]);
      expect([d.startedAt! - t0, d.stoppedAt! - t0]).toEqual([2000, 7000]);
      expect(d.eksProperties?.podProperties?.containers?.map((c) => [c.name, c.exitCode])).toEqual([
        ['main', 0],
        ['helper', 0],
      ]);
      expect(d.eksAttempts?.[0]).toMatchObject({
        containers: [
          { name: 'main', exitCode: 0 },
          { name: 'helper', exitCode: 0 },
        ],
        initContainers: [
          { name: 'fetch', exitCode: 0 },
          { name: 'unpack', exitCode: 0 },
        ],
      });
    },
  );

  test('capacity: the larger of the containers sum and the largest init container (Kubernetes requests)', async () => {
    const h = await harness(model([pod()], {}, 1));
    const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await h.settle(2000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNABLE');
    expect(h.executor.whyRunnable(jobId)[1]).toBe(
      'compute environment ce1 can never run it: needs 2 vCPUs, the environment holds at most 1 vCPUs (maxvCpus).',
    );
  });

  test('an init container that fails: the containers never start and the reason names it', async () => {
    const h = await harness(model([pod()]), (spec) => ({ exitCode: spec.member === 'unpack' ? 4 : 0 }));
    const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await h.settle(20_000);
    expect(h.runtime.started.map((s) => s.member)).toEqual(['fetch', 'unpack']);
    const [d] = h.executor.describeJobs([jobId]);
    expect([d.status, d.statusReason]).toEqual(['FAILED', 'Init container unpack exited with code 4']);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'FAILED']);
  });

  test(
    'TerminateJob during the init containers: the pod fails with the ' + 'terminate reason, no container starts',
    async () => {
      const h = await harness(model([pod()]), (spec) => ({ durationMs: spec.member === 'fetch' ? 50_000 : 1000 }));
      const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
      await h.settle(2000);
      h.executor.terminateJob(jobId, 'not needed');
      await h.settle(5000);
      expect(h.runtime.started.map((s) => s.member)).toEqual(['fetch']);
      expect(h.runtime.containers[0].signals).toEqual(['SIGTERM']);
      const [d] = h.executor.describeJobs([jobId]);
      expect([d.status, d.statusReason, d.startedAt]).toEqual(['FAILED', 'not needed', undefined]);
      expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'FAILED']);
    },
  );

  test('a container that exits non-zero fails the pod with its exit code; overrides apply by name', async () => {
    const h = await harness(model([pod()]), (spec) => ({ exitCode: spec.member === 'helper' ? 2 : 0 }));
    const { jobId } = h.executor.submitJob({
      jobName: 'p',
      jobQueue: 'q',
      jobDefinition: 'pod',
      eksPropertiesOverride: {
        podProperties: { containers: [{ name: 'main', args: ['--fast'], env: [{ name: 'A', value: '2' }] }] },
      },
    });
    await h.settle(20_000);
    const main = h.runtime.started.find((s) => s.member === 'main');
    expect([main?.command, main?.environment.A]).toEqual([['--fast'], '2']);
    const [d] = h.executor.describeJobs([jobId]);
    expect([d.status, d.statusReason]).toEqual(['FAILED', 'Pod failed: container helper exited with code 2']);
    expect(d.eksProperties?.podProperties?.containers?.map((c) => c.exitCode)).toEqual([0, 2]);
  });

  test('hostNetwork false: the group joins the network namespace of a holder container started first', async () => {
    const h = await harness(model([pod({ hostNetwork: false, initContainers: [] })]), (spec) => ({
      durationMs: spec.member === '.netns' ? 1_000_000 : 1000,
    }));
    const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await h.settle(10_000);
    const [holder, ...members] = h.runtime.containers;
    expect([holder.spec.member, holder.spec.network]).toEqual(['.netns', 'none']);
    expect(members.map((c) => c.spec.network)).toEqual([`container:${holder.id}`, `container:${holder.id}`]);
    expect(holder.exit).toBeDefined();
    expect(holder.removed).toBe(true);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('SUCCEEDED');
  });

  test(
    'hostPath volumes follow the host-path policy: outside the allowed ' + 'paths the container does not start',
    async () => {
      const def = pod({
        initContainers: [],
        volumes: [{ name: 'work', hostPath: { path: '/etc/batchkit-pod-test' } }],
      });
      const h = await harness(model([def]));
      const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
      await h.settle(10_000);
      const [d] = h.executor.describeJobs([jobId]);
      expect(d.status).toBe('FAILED');
      expect(d.eksProperties?.podProperties?.containers?.[0].reason).toMatch(
        /^CannotCreateContainerError: host path \/etc\/batchkit-pod-test, outside the host paths/,
      );
      expect(d.statusReason).toMatch(/Fix: allow it with --allow-host-path \/etc\/batchkit-pod-test\.$/);
      expect(h.runtime.started.map((s) => s.member)).toEqual(['helper']);
    },
  );

  test('secret volumes: a read-only file per key while the containers run, removed at the end', async () => {
    const def = pod({ volumes: [{ name: 'work', secret: { secretName: 'db' } }] });
    const seen: Array<{ member?: string; mount?: RuntimeMount; files: Record<string, string> }> = [];
    const script: FakeScript = (spec) => {
      const mount = spec.mounts?.find((m) => m.containerPath === '/work');
      if (!mount) return { durationMs: 10 };
      const dir = mount.hostPath ?? '';
      const files = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
      seen.push({ member: spec.member, mount, files });
      return { durationMs: 10 };
    };
    const secrets = { 'eks-secret/db/user': 'app', 'eks-secret/db/password': 's3cret', 'eks-secret/other/x': 'y' };
    const h = await harness(model([def]), script, { secrets });
    const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await h.settle(10_000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('SUCCEEDED');
    expect(seen.map((x) => x.member)).toEqual(['fetch', 'unpack', 'main']);
    for (const x of seen) {
      expect(x.mount?.readOnly).toBe(true);
      expect(x.files).toEqual({ password: 's3cret', user: 'app' });
    }
    const dir = seen[0].mount?.hostPath ?? '';
    expect((statSync(dirname(dir)).mode & 0o777).toString(8)).toBe('700');
    expect(existsSync(dir)).toBe(false);
  });

  test('containers that mount one secret share its directory: a later start does not replace it', async () => {
    const mounting = (name: string) => ({
      name,
      image: 'img',
      resources: { limits: { cpu: '250m', memory: '64Mi' } },
      volumeMounts: [{ name: 'work', mountPath: '/work' }],
    });
    const def = pod({
      initContainers: [],
      containers: [mounting('main'), mounting('helper')],
      volumes: [{ name: 'work', secret: { secretName: 'db' } }],
    });
    // What a running container sees through its mount: the directory it was started with.
    const handles = new Map<string, Dir>();
    const listedByMain: string[] = [];
    const script: FakeScript = (spec) => {
      const dir = spec.mounts?.find((m) => m.containerPath === '/work')?.hostPath ?? '';
      handles.set(spec.member ?? '', opendirSync(dir));
      if (spec.member === 'helper') {
        const main = handles.get('main');
        for (let e = main?.readSync(); e; e = main?.readSync()) listedByMain.push(e.name);
      }
      return { durationMs: 10 };
    };
    const h = await harness(model([def]), script, { secrets: { 'eks-secret/db/password': 's3cret' } });
    const { jobId } = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await h.settle(10_000);
    for (const d of handles.values()) d.closeSync();
    expect(h.executor.describeJobs([jobId])[0].status).toBe('SUCCEEDED');
    expect(listedByMain).toEqual(['password']);
  });

  test('a missing secret fails the container (CreateContainerConfigError); an optional one mounts empty', async () => {
    const missing = await harness(model([pod({ volumes: [{ name: 'work', secret: { secretName: 'db' } }] })]));
    const a = missing.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await missing.settle(10_000);
    const [d] = missing.executor.describeJobs([a.jobId]);
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toMatch(
      /^Init container fetch failed to start: CreateContainerConfigError: secret "db" not/,
    );
    expect(missing.runtime.started).toEqual([]);
    const optional = pod({ volumes: [{ name: 'work', secret: { secretName: 'db', optional: true } }] });
    const h = await harness(model([optional]));
    const b = h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' });
    await h.settle(10_000);
    expect(h.executor.describeJobs([b.jobId])[0].status).toBe('SUCCEEDED');
    expect(h.runtime.started.map((x) => x.member)).toEqual(['fetch', 'unpack', 'main', 'helper']);
  });

  test('persistentVolumeClaim volumes mounted by a container are refused at submission', async () => {
    const def = pod({ volumes: [{ name: 'work', persistentVolumeClaim: { claimName: 'data' } }] });
    const h = await harness(model([def]));
    expect(() => h.executor.submitJob({ jobName: 'p', jobQueue: 'q', jobDefinition: 'pod' })).toThrow(
      /initContainers\[0\]\.volumeMounts\[0\]: volume "work" is a persistentVolumeClaim volume/,
    );
  });
});

test(
  'TerminateJob through the store (`batchkit local terminate`) of a group ' +
    'another executor runs: its containers stop, the job fails with the reason',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-groups-two-'));
    const m = model([sidecarTask({ retryStrategy: { attempts: 3 } })]);
    const owner = await harness(m, byMember({ main: { durationMs: 600_000 } }), { storeDir: dir });
    const { jobId } = owner.executor.submitJob({ jobName: 't', jobQueue: 'q', jobDefinition: 'task' });
    await owner.settle(3000);
    expect(owner.executor.describeJobs([jobId])[0].status).toBe('RUNNING');
    // The passive executor sees the same engine, as two processes on one Docker engine do.
    const other = await harness(m, undefined, { storeDir: dir, passive: true, runtime: owner.runtime });
    expect(await other.executor.follow(jobId)).toBe(false);
    other.executor.terminateJob(jobId, 'Stopped elsewhere');
    expect(await other.executor.stopGroup(jobId)).toBe(2); // sidecar and main; setup had exited
    await other.executor.close();
    await owner.settle(5000);
    const [d] = owner.executor.describeJobs([jobId]);
    expect([d.status, d.statusReason, d.attempts?.length]).toEqual(['FAILED', 'Stopped elsewhere', 1]);
    expect(owner.runtime.containers.filter((c) => c.spec.member !== 'setup').map((c) => c.signals[0])).toEqual([
      'SIGTERM',
      'SIGTERM',
    ]);
  },
);
