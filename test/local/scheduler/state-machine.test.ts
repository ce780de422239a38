import type { JobDetail, JobStatus } from '../../../lib/core/model/job';
import { JOB_STATUSES } from '../../../lib/core/model/job';
import { TRANSITIONS, canTransition, transition } from '../../../lib/local/scheduler/states';

function job(status: JobStatus): JobDetail {
  return { jobId: 'j1', jobName: 'n', jobQueue: 'q', jobDefinition: 'd', status };
}

describe('transition table', () => {
  const legal: [JobStatus, JobStatus][] = JOB_STATUSES.flatMap((from) =>
    TRANSITIONS[from].map((to) => [from, to] as [JobStatus, JobStatus]),
  );
  const illegal: [JobStatus, JobStatus][] = JOB_STATUSES.flatMap((from) =>
    JOB_STATUSES.filter((to) => !TRANSITIONS[from].includes(to)).map((to) => [from, to] as [JobStatus, JobStatus]),
  );

  test('has exactly the moves AWS Batch makes', () => {
    expect(legal).toHaveLength(14);
    expect(TRANSITIONS.SUCCEEDED).toEqual([]);
    expect(TRANSITIONS.FAILED).toEqual([]);
    expect(TRANSITIONS.RUNNING).toEqual(['SUCCEEDED', 'RUNNABLE', 'FAILED']);
  });

  test.each(legal)('%s -> %s is allowed and recorded', (from, to) => {
    const j = job(from);
    const r = transition(j, to, 'why', 1000);
    expect(r).toEqual({ jobId: 'j1', from, to, at: 1000 });
    expect(j.status).toBe(to);
    expect(j.statusReason).toBe('why');
    expect(canTransition(from, to)).toBe(true);
  });

  test.each(illegal)('%s -> %s is rejected and leaves the job unchanged', (from, to) => {
    const j = job(from);
    expect(() => transition(j, to, 'why', 1000)).toThrow(new RegExp(`cannot move from ${from} to ${to}`));
    expect(j.status).toBe(from);
    expect(j.statusReason).toBeUndefined();
  });

  test('RUNNING sets startedAt, final statuses set stoppedAt', () => {
    const j = job('STARTING');
    transition(j, 'RUNNING', undefined, 5);
    expect(j.startedAt).toBe(5);
    expect(j.stoppedAt).toBeUndefined();
    transition(j, 'SUCCEEDED', 'Essential container in task exited', 9);
    expect(j.stoppedAt).toBe(9);
    expect(j.startedAt).toBe(5);
  });
});
