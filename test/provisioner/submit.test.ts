/** submit and follow against the local Batch API: outcome, progress, array counts, bad requests. */
import type { JobDetail } from '@aws-sdk/client-batch';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { createPlan } from '../../lib/provisioner/plan/plan';
import { describeProgress, logLocation, submitAndFollow } from '../../lib/provisioner/submit/follow';
import { FAST_WAIT, batchTemplate, loadTemplate, startLocalTarget, type LocalTarget } from './support';

let target: LocalTarget;
let queue: string;
let definition: string;

beforeEach(async () => {
  target = await startLocalTarget();
  const plan = await createPlan(loadTemplate(batchTemplate()), target.clients);
  await applyPlan(plan, target.clients, { wait: FAST_WAIT });
  queue = plan.actions.find((a) => a.kind === 'JobQueue')!.name;
  definition = plan.actions.find((a) => a.kind === 'JobDefinition')!.name;
});
afterEach(async () => {
  await target.close();
});

test('follows a job through its states to SUCCEEDED and says where its logs are', async () => {
  const seen: string[] = [];
  const result = await submitAndFollow(
    target.clients.batch,
    { jobName: 'one', jobQueue: queue, jobDefinition: definition },
    { pollMs: 5, onUpdate: (j) => seen.push(j.status!) },
  );
  expect(result.finished).toBe(true);
  expect(result.job.status).toBe('SUCCEEDED');
  expect(seen[seen.length - 1]).toBe('SUCCEEDED');
  expect(new Set(seen).size).toBe(seen.length);
  expect(result.logs).toEqual({
    group: '/aws/batch/job',
    stream: expect.stringMatching(new RegExp(`^${definition}/default/`)),
  });
});

test('an array job reports its children counts and ends FAILED when a child fails', async () => {
  const lines: string[] = [];
  const result = await submitAndFollow(
    target.clients.batch,
    {
      jobName: 'arr',
      jobQueue: queue,
      jobDefinition: definition,
      arrayProperties: { size: 3 },
      containerOverrides: { command: ['sh', '-c', 'fail'] },
    },
    { pollMs: 5, onUpdate: (j) => lines.push(describeProgress(j)) },
  );
  expect(result.job.status).toBe('FAILED');
  expect(lines[lines.length - 1]).toMatch(/^arr [0-9a-f-]{36}: FAILED.*\[.*FAILED 3.*\]$/);
});

test('a request the SubmitJob rules refuse is not sent', async () => {
  await expect(
    submitAndFollow(
      target.clients.batch,
      { jobName: 'bad name!', jobQueue: queue, jobDefinition: definition },
      { pollMs: 5 },
    ),
  ).rejects.toMatchObject({
    code: 'BATCHKIT-PROVISION-006',
    kind: 'input',
    message: expect.stringMatching(/The job was not submitted:\n {2}.*jobName.*"bad name!"/),
  });
  expect((await target.clients.batch.listJobs({ jobQueue: queue, jobStatus: 'SUBMITTED' })).jobSummaryList).toEqual([]);
});

test('with timeoutMs 0 it returns after the first look without waiting for the end', async () => {
  // The container runs for an hour (until the target closes), so the first look cannot see a final status however
  // slow the machine is.
  const result = await submitAndFollow(
    target.clients.batch,
    { jobName: 'held', jobQueue: queue, jobDefinition: definition, containerOverrides: { command: ['hold'] } },
    { pollMs: 5, timeoutMs: 0 },
  );
  expect(result.finished).toBe(false);
  expect(result.job.jobId).toMatch(/^[0-9a-f-]{36}$/);
  expect(['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING']).toContain(result.job.status);
});

test('logLocation reads the awslogs group of the job', () => {
  const job = {
    jobId: 'j',
    jobName: 'n',
    jobQueue: 'q',
    jobDefinition: 'd',
    status: 'RUNNING',
    startedAt: 0,
    container: {
      logStreamName: 'd/default/abc',
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/my/group' } },
    },
  } as JobDetail;
  expect(logLocation(job)).toEqual({ group: '/my/group', stream: 'd/default/abc' });
});
