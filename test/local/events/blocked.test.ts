/**
 * "Batch Job Queue Blocked" events on the fake runtime: exact shape, order after the RUNNABLE state
 * change, one per blocked reason (again only when the reason changes, never again after a restart),
 * delivery to sinks, and event patterns that select them by detail-type.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJobQueueBlockedEvent, type BatchJobEvent } from '../../../lib/core/model/events';
import { JsonlSink } from '../../../lib/local/events/jsonl-sink';
import { matchesPattern, type EventPattern } from '../../../lib/local/events/pattern';
import { ce, harness, jobDef, model, queue } from '../scheduler/fixture';

const ACCOUNT = '123456789012';
const QUEUE_ARN = `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/q`;
const TOO_BIG =
  'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
  'environment "ce1" (EC2): the job needs 8 vCPUs but maxvCpus is 4.';

describe('Batch Job Queue Blocked events', () => {
  test('a job too big for its queue: one event after its RUNNABLE state change, in the AWS shape', async () => {
    const h = await harness(model([jobDef('big', {}, '8')], {}, 4));
    const { jobId, jobArn } = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
    await h.settle(5000);
    expect(h.all.map((e) => [e['detail-type'], e.detail.status])).toEqual([
      ['Batch Job State Change', 'RUNNABLE'],
      ['Batch Job Queue Blocked', 'RUNNABLE'],
    ]);
    const [event] = h.blocked;
    const [described] = h.executor.describeJobs([jobId]);
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Batch Job Queue Blocked',
      source: 'aws.batch',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: [`arn:aws:batch:us-east-1:${ACCOUNT}:job/${jobId}`, QUEUE_ARN],
      detail: described,
    });
    expect(jobArn).toBe(event.resources[0]);
    expect(event.detail).toMatchObject({
      jobId,
      jobName: 'big',
      jobQueue: QUEUE_ARN,
      status: 'RUNNABLE',
      statusReason: TOO_BIG,
      attempts: [],
    });
    expect(event.id).not.toBe(h.events[0].id);
    expect(h.runtime.started).toHaveLength(0);
  });

  test('a job that fits sends none', async () => {
    const h = await harness(model([jobDef('d')]), () => ({ durationMs: 2000 }));
    h.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' });
    h.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(10_000);
    expect(h.events.map((e) => e.detail.status)).toEqual([
      'RUNNABLE',
      'RUNNABLE',
      'STARTING',
      'STARTING',
      'RUNNING',
      'RUNNING',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    expect(h.blocked).toEqual([]);
  });

  test('reported again only when the blocked reason changes', async () => {
    // Placeable on AWS (maxvCpus 256) but not on this host of 4 vCPUs: the reason follows the environment.
    const h = await harness(model([jobDef('big', {}, '8')], {}, 256), undefined, { maxVcpus: 4 });
    const { jobId } = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
    await h.settle(2000);
    h.executor.updateJobQueue('q', { priority: 5 });
    h.executor.updateComputeEnvironment('ce1', { state: 'ENABLED' });
    await h.settle(2000);
    expect(h.blocked.map((e) => e.detail.statusReason)).toEqual([
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment ce1 can never run it: needs 8 vCPUs, the environment holds ' +
        "at most 4 vCPUs (maxvCpus 256 capped by this host's 4).",
    ]);
    h.executor.putComputeEnvironment(ce('ce1', 3));
    await h.settle(2000);
    h.executor.updateJobQueue('q', { priority: 6 });
    await h.settle(2000);
    expect(h.blocked.map((e) => e.detail.statusReason)).toEqual([
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment ce1 can never run it: needs 8 vCPUs, the environment holds ' +
        "at most 4 vCPUs (maxvCpus 256 capped by this host's 4).",
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment ce1 can never run it: needs 8 vCPUs, the environment holds at most 3 vCPUs (maxvCpus).',
    ]);
    expect(h.blocked[1].detail.statusReason).toBe(h.executor.describeJobs([jobId])[0].statusReason);
    // No state change events besides the first RUNNABLE: being blocked is not a status.
    expect(h.statuses(jobId)).toEqual(['RUNNABLE']);
  });

  test('a job unblocked by a queue change runs and sends no further blocked event', async () => {
    const m = model([jobDef('d')], { jobQueues: [queue('q', 1, ['ce-unknown'])] });
    const h = await harness(m);
    const { jobId } = h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(2000);
    expect(h.blocked.map((e) => e.detail.statusReason)).toEqual([
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - job queue q has no ' + 'compute environment batchkit knows.',
    ]);
    h.executor.putJobQueue(queue('q', 1, ['ce1']));
    await h.settle(5000);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(h.events.find((e) => e.detail.status === 'STARTING')?.detail.statusReason).toBeUndefined();
    expect(h.blocked).toHaveLength(1);
  });

  test('each blocked array child is reported once; the PENDING parent is not', async () => {
    const h = await harness(model([jobDef('big', {}, '8')], {}, 4));
    const { jobId } = h.executor.submitJob({
      jobName: 'arr',
      jobQueue: 'q',
      jobDefinition: 'big',
      arrayProperties: { size: 2 },
    });
    await h.settle(3000);
    expect(h.blocked.map((e) => e.detail.jobId)).toEqual([`${jobId}:0`, `${jobId}:1`]);
    expect(h.blocked.map((e) => e.detail.arrayProperties)).toEqual([
      { statusSummary: {}, index: 0 },
      { statusSummary: {}, index: 1 },
    ]);
  });

  test('sinks get it in order, and a restart on the same store does not report the job again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-blocked-'));
    const file = join(dir, 'events.jsonl');
    const m = model([jobDef('big', {}, '8'), jobDef('d')], {}, 4);
    const h = await harness(m, undefined, { storeDir: dir, eventSinks: [new JsonlSink(file)] });
    const big = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
    await h.settle(2000);
    await h.executor.close();
    const h2 = await harness(m, undefined, { storeDir: dir, eventSinks: [new JsonlSink(file)] });
    const small = h2.executor.submitJob({ jobName: 'small', jobQueue: 'q', jobDefinition: 'd' });
    await h2.settle(3000);
    h2.executor.cancelJob(big.jobId, 'no room');
    await h2.settle(1000);
    await h2.executor.close();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as BatchJobEvent);
    expect(lines.map((e) => [e['detail-type'], e.detail.jobName, e.detail.status])).toEqual([
      ['Batch Job State Change', 'big', 'RUNNABLE'],
      ['Batch Job Queue Blocked', 'big', 'RUNNABLE'],
      ['Batch Job State Change', 'small', 'RUNNABLE'],
      ['Batch Job State Change', 'small', 'STARTING'],
      ['Batch Job State Change', 'small', 'RUNNING'],
      ['Batch Job State Change', 'small', 'SUCCEEDED'],
      ['Batch Job State Change', 'big', 'FAILED'],
    ]);
    expect(lines[6].detail.statusReason).toBe('no room');
    expect(small.jobId).not.toBe(big.jobId);
  });
});

describe('event patterns on detail-type', () => {
  test(
    'a rule on "Batch Job Queue Blocked" selects only the blocked events, ' + 'one on state changes none of them',
    async () => {
      const h = await harness(model([jobDef('big', {}, '8'), jobDef('d')], {}, 4));
      const big = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
      h.executor.submitJob({ jobName: 'ok', jobQueue: 'q', jobDefinition: 'd' });
      await h.settle(5000);
      expect(h.all).toHaveLength(6);
      const blockedRule: EventPattern = { source: ['aws.batch'], 'detail-type': ['Batch Job Queue Blocked'] };
      const selected = h.all.filter((e) => matchesPattern(blockedRule, e));
      expect(selected.map((e) => [e['detail-type'], e.detail.jobId])).toEqual([['Batch Job Queue Blocked', big.jobId]]);
      expect(selected.every(isJobQueueBlockedEvent)).toBe(true);

      const stateRule: EventPattern = {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: { status: ['RUNNABLE'] },
      };
      expect(h.all.filter((e) => matchesPattern(stateRule, e)).map((e) => e['detail-type'])).toEqual([
        'Batch Job State Change',
        'Batch Job State Change',
      ]);

      const byReason: EventPattern = {
        'detail-type': ['Batch Job Queue Blocked'],
        detail: { statusReason: [{ prefix: 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE' }] },
      };
      expect(h.all.filter((e) => matchesPattern(byReason, e))).toEqual(selected);
      // detail-type is matched exactly and case-sensitively, as EventBridge does.
      expect(h.all.filter((e) => matchesPattern({ 'detail-type': ['batch job queue blocked'] }, e))).toEqual([]);
      expect(h.all.filter((e) => matchesPattern({ 'detail-type': [{ prefix: 'Batch Job ' }] }, e))).toHaveLength(6);
      expect(
        h.all.filter((e) => matchesPattern({ 'detail-type': [{ 'anything-but': 'Batch Job State Change' }] }, e)),
      ).toEqual(selected);
    },
  );
});
