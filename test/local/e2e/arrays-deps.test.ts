/**
 * Array jobs, dependencies (N_TO_N, SEQUENTIAL, failure cascade), multi-node jobs and capacity,
 * end to end on Docker.
 */
import { def, dockerHarness, IMAGE, messages, model, type DockerHarness } from './support';

let h: DockerHarness;

beforeAll(async () => {
  h = await dockerHarness(
    model([
      def('indexed', ['sh', '-c', 'echo "index=$AWS_BATCH_JOB_ARRAY_INDEX id=$AWS_BATCH_JOB_ID"']),
      def('fail', ['sh', '-c', 'exit 1']),
      def('quick', ['sleep', '0.3']),
      def(
        'big',
        ['true'],
        {},
        {
          resourceRequirements: [
            { type: 'VCPU', value: '4' },
            { type: 'MEMORY', value: '32' },
          ],
        },
      ),
      {
        jobDefinitionName: 'mnp',
        type: 'multinode',
        revision: 1,
        nodeProperties: {
          numNodes: 3,
          mainNode: 0,
          nodeRangeProperties: [
            {
              targetNodes: '0:',
              container: {
                image: IMAGE,
                command: [
                  'sh',
                  '-c',
                  'echo "node=$AWS_BATCH_JOB_NODE_INDEX of=$AWS_BATCH_JOB_NUM_NODES ' +
                    'main=$AWS_BATCH_JOB_MAIN_NODE_INDEX ip=' +
                    '${AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS:-self}"; [ ' +
                    '"$AWS_BATCH_JOB_NODE_INDEX" = 0 ] && sleep 1; true',
                ],
                resourceRequirements: [
                  { type: 'VCPU', value: '0.5' },
                  { type: 'MEMORY', value: '32' },
                ],
              },
            },
          ],
        },
      },
    ]),
  );
});

afterAll(async () => {
  await h.close();
});

test('a 5-child array: children parent:index see their index, the parent counts 5 SUCCEEDED', async () => {
  const parent = await h.run({ jobName: 'arr', jobDefinition: 'indexed', arrayProperties: { size: 5 } });
  expect(parent.status).toBe('SUCCEEDED');
  expect(parent.arrayProperties).toMatchObject({ size: 5, statusSummary: expect.objectContaining({ SUCCEEDED: 5 }) });
  for (let i = 0; i < 5; i++) {
    const id = `${parent.jobId}:${i}`;
    expect(messages(h.executor, id)).toEqual([`index=${i} id=${id}`]);
    expect(h.executor.describeJobs([id])[0].arrayProperties?.index).toBe(i);
  }
  // Seed 003's array-completion pattern: one SUCCEEDED event without arrayProperties.index for the parent.
  const parentFinal = h.events.filter((e) => e.detail.jobId === parent.jobId && e.detail.status === 'SUCCEEDED');
  expect(parentFinal).toHaveLength(1);
});

test('N_TO_N: child i of B starts after child i of A ended; SEQUENTIAL: children one after another', async () => {
  const a = h.executor.submitJob({ jobName: 'A', jobQueue: 'q', jobDefinition: 'quick', arrayProperties: { size: 3 } });
  const b = h.executor.submitJob({
    jobName: 'B',
    jobQueue: 'q',
    jobDefinition: 'quick',
    arrayProperties: { size: 3 },
    dependsOn: [{ jobId: a.jobId, type: 'N_TO_N' }],
  });
  const s = h.executor.submitJob({
    jobName: 'S',
    jobQueue: 'q',
    jobDefinition: 'quick',
    arrayProperties: { size: 3 },
    dependsOn: [{ type: 'SEQUENTIAL' }],
  });
  await Promise.all([h.executor.waitForJob(b.jobId), h.executor.waitForJob(s.jobId)]);
  const child = (id: string, i: number) => h.executor.describeJobs([`${id}:${i}`])[0];
  for (let i = 0; i < 3; i++) {
    expect(child(b.jobId, i).status).toBe('SUCCEEDED');
    expect(child(b.jobId, i).startedAt).toBeGreaterThanOrEqual(child(a.jobId, i).stoppedAt ?? Infinity);
  }
  for (let i = 1; i < 3; i++) {
    expect(child(s.jobId, i).startedAt).toBeGreaterThanOrEqual(child(s.jobId, i - 1).stoppedAt ?? Infinity);
  }
});

test('a failed dependency fails its dependents PENDING -> FAILED, cascading', async () => {
  const a = h.executor.submitJob({ jobName: 'JobA', jobQueue: 'q', jobDefinition: 'fail' });
  const b = h.executor.submitJob({
    jobName: 'JobB',
    jobQueue: 'q',
    jobDefinition: 'quick',
    dependsOn: [{ jobId: a.jobId }],
  });
  const c = h.executor.submitJob({
    jobName: 'JobC',
    jobQueue: 'q',
    jobDefinition: 'quick',
    dependsOn: [{ jobId: b.jobId }],
  });
  const [da, db, dc] = await Promise.all([a, b, c].map((j) => h.executor.waitForJob(j.jobId)));
  expect(da.status).toBe('FAILED');
  for (const d of [db, dc]) {
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toBe('Dependent Job failed');
    expect(d.attempts ?? []).toHaveLength(0);
    expect(h.statuses(d.jobId)).toEqual(['PENDING', 'FAILED']);
  }
});

test(
  'a 3-node MNP job: nodes id#i on the host network, main node address ' + '127.0.0.1, job ends with the main node',
  async () => {
    const d = await h.run({ jobName: 'mnp-job', jobDefinition: 'mnp' });
    expect(d.status).toBe('SUCCEEDED');
    expect(messages(h.executor, `${d.jobId}#0`)).toEqual(['node=0 of=3 main=0 ip=self']);
    expect(messages(h.executor, `${d.jobId}#1`)).toEqual(['node=1 of=3 main=0 ip=127.0.0.1']);
    expect(messages(h.executor, `${d.jobId}#2`)).toEqual(['node=2 of=3 main=0 ip=127.0.0.1']);
    const main = h.executor.describeJobs([`${d.jobId}#0`])[0];
    const other = h.executor.describeJobs([`${d.jobId}#1`])[0];
    expect(main.nodeDetails).toEqual({ nodeIndex: 0, isMainNode: true });
    expect(other.startedAt).toBeGreaterThanOrEqual(main.startedAt ?? Infinity);
  },
);

test(
  'capacity: a job larger than every environment stays RUNNABLE and says ' + 'why; 1-vCPU jobs share 2 vCPUs',
  async () => {
    const big = h.executor.submitJob({ jobName: 'too-big', jobQueue: 'q', jobDefinition: 'big' });
    const small = ['s1', 's2', 's3'].map((n) =>
      h.executor.submitJob({ jobName: n, jobQueue: 'q', jobDefinition: 'quick' }),
    );
    const done = await Promise.all(small.map((j) => h.executor.waitForJob(j.jobId)));
    expect(done.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // Never more than two running at once on 2 vCPUs.
    const spans = done.map((d) => [d.startedAt ?? 0, d.stoppedAt ?? 0]);
    const overlapAll = spans.every(([s]) => spans.every(([s2, e2]) => s2 <= s && s < e2));
    expect(overlapAll).toBe(false);
    await h.executor.waitForIdle();
    expect(h.executor.describeJobs([big.jobId])[0].status).toBe('RUNNABLE');
    expect(h.executor.whyRunnable(big.jobId).join(' ')).toMatch(/MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE/);
    h.executor.terminateJob(big.jobId, 'test over');
    expect((await h.executor.waitForJob(big.jobId)).status).toBe('FAILED');
  },
);
