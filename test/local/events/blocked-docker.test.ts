/**
 * "Batch Job Queue Blocked" on the real Docker engine through the executor: a job too big for its
 * queue is reported once, while a job that fits runs its container beside it.
 */
import { isJobStateChangeEvent } from '../../../lib/core/model/events';
import { def, dockerHarness, model, type DockerHarness } from '../e2e/support';

let h: DockerHarness;

beforeAll(async () => {
  h = await dockerHarness(
    model([
      def('quick', ['sh', '-c', 'echo fits']),
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
    ]),
  );
});

afterAll(async () => {
  await h.close();
});

test('a job too big for its queue is reported once as blocking it; the job that fits succeeds', async () => {
  const big = h.executor.submitJob({ jobName: 'too-big', jobQueue: 'q', jobDefinition: 'big' });
  const ok = await h.run({ jobName: 'fits', jobDefinition: 'quick' });
  expect(ok.status).toBe('SUCCEEDED');
  await h.executor.waitForIdle();
  const reason =
    'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
    'environment "ce1" (EC2): the job needs 4 vCPUs but maxvCpus is 2.';
  expect(h.blocked).toHaveLength(1);
  expect(h.blocked[0]).toMatchObject({
    'detail-type': 'Batch Job Queue Blocked',
    source: 'aws.batch',
    resources: [big.jobArn, 'arn:aws:batch:us-east-1:123456789012:job-queue/q'],
    detail: { jobId: big.jobId, jobName: 'too-big', status: 'RUNNABLE', statusReason: reason },
  });
  expect(h.executor.describeJobs([big.jobId])[0].statusReason).toBe(reason);
  // The blocked event follows the job's RUNNABLE state change; the other job's events are state changes only.
  const order = h.all.filter((e) => e.detail.jobId === big.jobId).map((e) => `${e['detail-type']}/${e.detail.status}`);
  expect(order).toEqual(['Batch Job State Change/RUNNABLE', 'Batch Job Queue Blocked/RUNNABLE']);
  expect(h.all.filter((e) => e.detail.jobId === ok.jobId).every(isJobStateChangeEvent)).toBe(true);
  expect(h.statuses(ok.jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
  h.executor.terminateJob(big.jobId, 'test over');
  expect(await h.executor.waitForJob(big.jobId)).toMatchObject({ status: 'FAILED', statusReason: 'test over' });
  expect(h.blocked).toHaveLength(1);
});
