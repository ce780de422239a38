/**
 * Restarts on the real engine: `batchkit local run` (the built CLI) is killed with SIGKILL while
 * its jobs run, then a new executor opens the same store and re-attaches — multi-node jobs node by
 * node, single jobs too — with their logs going on without a repeated line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import Dockerode from 'dockerode';
import { loadBatchModel } from '../../../lib/core/assembly';
import { LocalExecutor, type JobLogLine } from '../../../lib/local/executor';
import { LABELS } from '../../../lib/local/runtime/container-runtime';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { CONTAINER_VANISHED } from '../../../lib/local/store/recovery';
import { MAIN_NODE_EXITED } from '../../../lib/local/scheduler/multi-node';
import { cliJobDefinition, cliTemplate, startCli } from '../../_helpers/cli';
import { recordEvents } from '../../_helpers/events';
import { CountingRuntime, IMAGE, messages } from './support';

const docker = new Dockerode();
let dir: string;

/** `main` runs on node 0, `other` on the other nodes (`$I` is the node index). */
function mnpDefinition(name: string, main: string, other: string) {
  const script =
    `I=$AWS_BATCH_JOB_NODE_INDEX; if [ "$I" = ` + `"$AWS_BATCH_JOB_MAIN_NODE_INDEX" ]; then ${main}; else ${other}; fi`;
  return {
    Type: 'AWS::Batch::JobDefinition',
    Properties: {
      Type: 'multinode',
      JobDefinitionName: name,
      NodeProperties: {
        NumNodes: 3,
        MainNode: 0,
        NodeRangeProperties: [
          {
            TargetNodes: '0:',
            Container: {
              Image: IMAGE,
              Command: ['sh', '-c', script],
              ResourceRequirements: [
                { Type: 'VCPU', Value: '1' },
                { Type: 'MEMORY', Value: '32' },
              ],
            },
          },
        ],
      },
    },
  };
}

/** Non-main nodes: say who they are, sleep, and leave cleanly on SIGTERM. */
const SLEEPING_NODE = 'trap "echo node-$I-stopped; exit 0" TERM; echo node-$I; sleep 60 & wait';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-e2e-restart-'));
  const template = cliTemplate(
    {
      Ends: mnpDefinition('mnp-ends', 'echo main-start; sleep 8; echo main-end', SLEEPING_NODE),
      Exits: mnpDefinition('mnp-exits', 'echo main-start; sleep 3; exit 3', SLEEPING_NODE),
      Sleeps: mnpDefinition('mnp-sleeps', 'echo main-start; sleep 60', SLEEPING_NODE),
      Single: cliJobDefinition('single', ['sh', '-c', 'echo one; sleep 3; echo oops >&2; sleep 2; echo two']),
    },
    4,
  );
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Running containers of a job (nodes included). */
async function containersOf(jobId: string): Promise<Dockerode.ContainerInfo[]> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } });
  return all.filter((c) => (c.Labels?.[LABELS.jobId] ?? '').split('#')[0] === jobId);
}

/** Waits until `n` containers of the job run (a short poll of the engine, test code only). */
async function untilRunning(jobId: string, n: number): Promise<Dockerode.ContainerInfo[]> {
  for (const t0 = Date.now(); Date.now() - t0 < 60_000;) {
    const running = (await containersOf(jobId)).filter((c) => c.State === 'running');
    if (running.length >= n) return running;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${n} containers of ${jobId} never ran`);
}

/** Starts `batchkit local run` of one job in its own store, waits until its containers run, and kills it. */
async function runAndKill(definition: string, containers: number): Promise<{ jobId: string; store: string }> {
  const store = path.join(dir, `store-${definition}`);
  const cli = startCli(
    [
      'local',
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      definition,
      '--max-vcpus',
      '4',
      '--store',
      store,
    ],
    { cwd: dir },
  );
  const [, jobId] = await cli.waitFor('stderr', /submitted \S+: (\S+)\n/);
  await untilRunning(jobId, containers);
  // Let the first lines reach the store (written in batches of at most 100 ms).
  await new Promise((r) => setTimeout(r, 500));
  cli.child.kill('SIGKILL');
  await cli.exited;
  return { jobId, store };
}

/** A new executor on the store the killed CLI left, with its events and log lines. */
async function reopen(store: string) {
  const runtime = new CountingRuntime(new DockerRuntime());
  const lines: JobLogLine[] = [];
  const executor = await LocalExecutor.open({
    model: loadBatchModel(path.join(dir, 'template.json')),
    runtime,
    storeDir: store,
    maxVcpus: 4,
    maxMemoryMiB: 4096,
  });
  const { events } = recordEvents(executor);
  executor.onLog((l) => lines.push(l));
  return {
    executor,
    runtime,
    events,
    lines,
    statuses: (id: string) => events.filter((e) => e.detail.jobId === id).map((e) => e.detail.status),
  };
}

test(
  'a 3-node job whose batchkit was killed is re-attached: SUCCEEDED when ' +
    'the main node exits 0, logs complete, no container started twice',
  async () => {
    const { jobId, store } = await runAndKill('mnp-ends', 3);
    const b = await reopen(store);
    try {
      expect(b.executor.recovery).toEqual({ reattached: [jobId], finished: [], vanished: [], reaped: [] });
      const d = await b.executor.waitForJob(jobId);
      expect(d.status).toBe('SUCCEEDED');
      const nodes = [0, 1, 2].map((i) => `${jobId}#${i}`);
      expect(b.executor.describeJobs(nodes).map((n) => [n.status, n.statusReason])).toEqual([
        ['SUCCEEDED', 'Essential container in task exited'],
        ['SUCCEEDED', MAIN_NODE_EXITED],
        ['SUCCEEDED', MAIN_NODE_EXITED],
      ]);
      // Events go on from RUNNING: the nodes and the parent end; nothing starts again.
      expect(b.statuses(jobId)).toEqual(['SUCCEEDED']);
      expect(nodes.map((n) => b.statuses(n))).toEqual([['SUCCEEDED'], ['SUCCEEDED'], ['SUCCEEDED']]);
      expect(b.runtime.prepared).toEqual([]);
      // Every node's log, each line once: what the killed batchkit stored and what came after.
      expect(messages(b.executor, nodes[0])).toEqual(['main-start', 'main-end']);
      expect(messages(b.executor, nodes[1])).toEqual(['node-1', 'node-1-stopped']);
      expect(messages(b.executor, nodes[2])).toEqual(['node-2', 'node-2-stopped']);
      expect(b.lines.filter((l) => l.jobId === nodes[0]).map((l) => l.message)).toContain('main-end');
      expect(await containersOf(jobId)).toEqual([]);
    } finally {
      await b.executor.close();
    }
  },
);

test('a main node that exited while batchkit was down is recorded on restart with its exit code', async () => {
  const { jobId, store } = await runAndKill('mnp-exits', 3);
  const main = (await containersOf(jobId)).find((c) => c.Labels[LABELS.jobId] === `${jobId}#0`)!;
  await docker.getContainer(main.Id).wait();
  const b = await reopen(store);
  try {
    expect(b.executor.recovery).toEqual({ reattached: [], finished: [jobId], vanished: [], reaped: [] });
    const d = await b.executor.waitForJob(jobId);
    expect(d).toMatchObject({ status: 'FAILED', statusReason: 'Essential container in task exited' });
    expect(d.attempts?.map((a) => a.container?.exitCode)).toEqual([3]);
    const [n0, n1] = b.executor.describeJobs([`${jobId}#0`, `${jobId}#1`]);
    expect(n0).toMatchObject({ status: 'FAILED', container: { exitCode: 3 } });
    expect(n1).toMatchObject({ status: 'FAILED', statusReason: MAIN_NODE_EXITED });
    expect(messages(b.executor, `${jobId}#0`)).toEqual(['main-start']);
    expect(b.runtime.prepared).toEqual([]);
  } finally {
    await b.executor.close();
  }
});

test(
  "a main node's container removed while batchkit was down fails the job " + 'with CannotInspectContainerError',
  async () => {
    const { jobId, store } = await runAndKill('mnp-sleeps', 3);
    const main = (await containersOf(jobId)).find((c) => c.Labels[LABELS.jobId] === `${jobId}#0`)!;
    await docker.getContainer(main.Id).remove({ force: true });
    const b = await reopen(store);
    try {
      expect(b.executor.recovery).toEqual({ reattached: [], finished: [], vanished: [jobId], reaped: [] });
      const d = await b.executor.waitForJob(jobId);
      expect(d).toMatchObject({ status: 'FAILED', statusReason: CONTAINER_VANISHED });
      expect(b.executor.describeJobs([`${jobId}#0`, `${jobId}#1`, `${jobId}#2`]).map((n) => n.status)).toEqual([
        'FAILED',
        'FAILED',
        'FAILED',
      ]);
      expect(messages(b.executor, `${jobId}#1`)).toEqual(['node-1', 'node-1-stopped']);
      expect(await containersOf(jobId)).toEqual([]);
    } finally {
      await b.executor.close();
    }
  },
);

test(
  'a single job re-attached after a restart goes on streaming its log: no ' + 'line lost or repeated, stderr kept',
  async () => {
    const { jobId, store } = await runAndKill('single', 1);
    const b = await reopen(store);
    try {
      expect(b.executor.recovery.reattached).toEqual([jobId]);
      const d = await b.executor.waitForJob(jobId);
      expect(d.status).toBe('SUCCEEDED');
      expect(
        b.executor
          .logs(jobId)
          .split('\n')
          .filter(Boolean)
          .map((l) => l.replace(/^\S+ /, '')),
      ).toEqual(['stdout one', 'stderr oops', 'stdout two']);
      // 'one' was stored by the killed batchkit; the new executor handed on only what came after it.
      expect(b.lines.map((l) => l.message)).toEqual(['oops', 'two']);
      expect(b.lines[0].logStreamName).toBe(d.attempts?.[0].container?.logStreamName);
    } finally {
      await b.executor.close();
    }
  },
);
