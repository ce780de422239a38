/**
 * What a new user reads: names from their CDK code accepted by `local run` (construct ids and
 * paths), reasons joined into sentences, and findings laid out per queue and compute environment.
 */
import { BatchkitError } from '../../lib/core/errors';
import { emptyBatchModel, type BatchModel } from '../../lib/core/model/batch-model';
import type { LoadedJobDefinition } from '../../lib/core/model/job-definition';
import type { LoadedJobQueue } from '../../lib/core/model/job-queue';
import { finding, validateModel } from '../../lib/core/rules';
import { findJobDefinition, findQueue } from '../../lib/cli/local/lookup';
import { ProgressReporter } from '../../lib/cli/local/progress';
import { joinReasons } from '../../lib/cli/local/run-wait';
import type { JobStateChangeEvent } from '../../lib/core/model/events';
import { defaultJobName } from '../../lib/cli/submit-options';
import { renderFindings } from '../../lib/cli/validate';

function queue(name: string, logicalId: string, constructPath: string, ces: string[] = ['ce']): LoadedJobQueue {
  return {
    jobQueueName: name,
    priority: 1,
    computeEnvironmentOrder: ces.map((ce, i) => ({ order: i + 1, computeEnvironment: ce })),
    source: { stack: 'App', logicalId, constructPath },
  };
}

function definition(
  name: string,
  logicalId: string,
  constructPath: string,
  vcpus = '1',
  gpus?: string,
): LoadedJobDefinition {
  return {
    jobDefinitionName: name,
    type: 'container',
    containerProperties: {
      image: 'busybox',
      resourceRequirements: [
        { type: 'VCPU', value: vcpus },
        { type: 'MEMORY', value: '2048' },
        ...(gpus ? [{ type: 'GPU' as const, value: gpus }] : []),
      ],
    },
    source: { stack: 'App', logicalId, constructPath },
  };
}

function app(): BatchModel {
  const m = emptyBatchModel();
  m.jobQueues.push(queue('JobQueueEE3AD499-0123456789ab', 'JobQueueEE3AD499', 'App/JobQueue/Resource'));
  m.jobQueues.push(
    queue('high', 'TeamAQueue1234ABCD', 'App/TeamA/Queue/Resource'),
    queue('low', 'TeamBQueue1234ABCD', 'App/TeamB/Queue/Resource'),
  );
  m.jobDefinitions.push(definition('Fold-0123456789ab', 'FoldABCD1234', 'App/Fold/Resource'));
  return m;
}

function thrown(f: () => unknown): BatchkitError {
  try {
    f();
  } catch (e) {
    if (e instanceof BatchkitError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('local run names a queue or job definition the way the CDK code does', () => {
  test('by construct id, by construct path with and without /Resource, and still by name and logical id', () => {
    const m = app();
    for (const ref of [
      'JobQueue',
      'App/JobQueue',
      'App/JobQueue/Resource',
      'JobQueue/Resource',
      'JobQueueEE3AD499',
      'JobQueueEE3AD499-0123456789ab',
    ]) {
      expect(findQueue(m, ref).jobQueueName).toBe('JobQueueEE3AD499-0123456789ab');
    }
    expect(findQueue(m, 'TeamA/Queue').jobQueueName).toBe('high');
    for (const ref of ['Fold', 'App/Fold', 'App/Fold/Resource', 'FoldABCD1234', 'Fold-0123456789ab']) {
      expect(findJobDefinition(m, ref).jobDefinitionName).toBe('Fold-0123456789ab');
    }
  });

  test('a construct id two resources have is a coded input error listing both', () => {
    const e = thrown(() => findQueue(app(), 'Queue'));
    expect(e.code).toBe('BATCHKIT-CLI-LOCAL-013');
    expect(e.kind).toBe('input');
    expect(e.message).toBe(
      '--job-queue "Queue": 2 job queues have that construct id: high ' +
        '(TeamAQueue1234ABCD at App/TeamA/Queue/Resource), low (TeamBQueue1234ABCD at App/TeamB/Queue/Resource).' +
        ' Fix: pass the full construct path (e.g. "App/TeamA/Queue"), the name or the logical id to --job-queue.',
    );
  });

  test('an unknown one lists the known ones with their construct paths', () => {
    const e = thrown(() => findJobDefinition(app(), 'Nope'));
    expect(e.code).toBe('BATCHKIT-CLI-LOCAL-003');
    expect(e.message).toBe(
      '--job-definition "Nope": no job definition with that name, ARN, ' +
        'logical id or construct path. Known job definitions: Fold-0123456789ab ' +
        '(FoldABCD1234 at App/Fold/Resource). Fix: pass one of the known job definitions to --job-definition, or ' +
        'point --app at the cloud assembly that declares it.',
    );
    // A part of an id is not a construct id.
    expect(thrown(() => findQueue(app(), 'Queue/Res')).code).toBe('BATCHKIT-CLI-LOCAL-002');
  });

  test('the default job name of a construct path is the construct id', () => {
    expect(defaultJobName('App/Fold/Resource')).toBe('Fold');
    expect(defaultJobName('arn:aws:batch:us-east-1:123456789012:job-definition/fold:3')).toBe('fold');
  });
});

describe('FAILED is said once', () => {
  function failed(jobId: string, statusReason?: string): JobStateChangeEvent {
    return {
      version: '0',
      id: 'e',
      source: 'aws.batch',
      account: '123456789012',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      'detail-type': 'Batch Job State Change',
      resources: [],
      detail: {
        jobId,
        jobName: 'j',
        jobQueue: 'q',
        jobDefinition: 'd',
        status: 'FAILED',
        startedAt: 0,
        ...(statusReason ? { statusReason } : {}),
      },
    } as JobStateChangeEvent;
  }

  test(
    'the progress line of the change carries the reason; the end of the run ' + 'repeats it only when the line did not',
    () => {
      const out: string[] = [];
      const r = new ProgressReporter({ write: (t) => out.push(t) });
      r.track('a', 'first');
      r.track('b', 'second');
      r.onEvent(failed('a', 'Essential container in task exited'));
      r.onEvent(failed('b'));
      expect(out).toEqual(['first (a) FAILED: Essential container in task exited\n', 'second (b) FAILED\n']);
      expect(r.reportedFailed('a', 'Essential container in task exited')).toBe(true);
      expect(r.reportedFailed('a', 'Stopped by the test')).toBe(false);
      expect(r.reportedFailed('b', 'Stopped by the test')).toBe(false);
    },
  );
});

describe('reasons read as sentences', () => {
  test('a reason ending in ":" or "." is followed by a space, others by "; "', () => {
    expect(
      joinReasons([
        'no compute environment of job queue q could ever run this job, on AWS either:',
        'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - compute environment "ce" ' +
          '(EC2): the job needs 4 vCPUs but its largest instance type m5.large has 2.',
      ]),
    ).toBe(
      'no compute environment of job queue q could ever run this job, on AWS ' +
        'either: MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - compute ' +
        'environment "ce" (EC2): the job needs 4 vCPUs but its largest instance type m5.large has 2.',
    );
    expect(
      joinReasons([
        'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE: no compute ' +
          'environment of job queue q can ever run this job.',
        'compute environment ce can never run it: 4 vCPUs > 2',
      ]),
    ).toBe(
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE: no compute ' +
        'environment of job queue q can ever run this job. compute environment ce can never run it: 4 vCPUs > 2',
    );
    expect(joinReasons(['waiting for capacity', 'ce1 is full', ''])).toBe('waiting for capacity; ce1 is full');
  });
});

describe('findings as people read them', () => {
  function placementModel(): BatchModel {
    const m = emptyBatchModel();
    const ce = (name: string, instanceTypes: string[], maxvCpus: number) => ({
      computeEnvironmentName: name,
      type: 'MANAGED' as const,
      computeResources: {
        type: 'EC2' as const,
        maxvCpus,
        instanceTypes,
        subnets: ['s'],
        securityGroupIds: ['sg-1'],
        instanceRole: 'r',
      },
      source: { stack: 'App', logicalId: name },
    });
    m.computeEnvironments.push(ce('small', ['m5.large'], 16), ce('spot', ['c5.xlarge'], 256));
    m.jobQueues.push(
      queue('main', 'Main', 'App/Main/Resource', ['small', 'spot']),
      queue('other', 'Other', 'App/Other/Resource', ['spot']),
    );
    m.jobDefinitions.push(definition('big', 'Big', 'App/Big/Resource', '64'));
    return m;
  }

  test('BATCH-X-003 is laid out per queue and compute environment, indented; the flat message keeps it all', () => {
    const findings = validateModel(placementModel()).filter((f) => f.code === 'BATCH-X-003');
    expect(renderFindings(findings).split('\n')).toEqual([
      'JobDefinition "big" (App/Big at App/Big/Resource)',
      '  ERROR   BATCH-X-003  containerProperties: no job queue of the ' +
        'application can ever run this job definition: this job would stay RUNNABLE forever.',
      '                         queue "main"',
      '                           compute environment "small" (EC2)',
      '                             the job needs 64 vCPUs but maxvCpus is 16.',
      '                             the job needs 64 vCPUs but its largest instance type m5.large has 2.',
      '                           compute environment "spot" (EC2): the job ' +
        'needs 64 vCPUs but its largest instance type c5.xlarge has 4.',
      '                         queue "other"',
      '                           compute environment "spot" (EC2): the job ' +
        'needs 64 vCPUs but its largest instance type c5.xlarge has 4.',
      '                       Fix: raise maxvCpus, allow larger instance ' +
        "types, or lower the job's resource requirements.",
      '',
    ]);
    expect(findings[0].details?.map((d) => d.text)).toEqual(['queue "main"', 'queue "other"']);
    expect(findings[0].message).toContain(
      'RUNNABLE forever. queue "main": compute environment "small" (EC2): the ' +
        'job needs 64 vCPUs but maxvCpus is 16. the job needs 64 vCPUs but its ' +
        'largest instance type m5.large has 2.',
    );
  });

  test('a finding without a field does not start with an empty field', () => {
    const f = finding({
      code: 'BATCH-X-004',
      severity: 'warning',
      resource: { kind: 'JobDefinition', name: 'solo' },
      problem: 'the job needs 1 GPU(s).',
    });
    expect(f.message).toBe('JobDefinition "solo": the job needs 1 GPU(s).');
    expect(renderFindings([f])).toBe('JobDefinition "solo"\n  WARNING BATCH-X-004  the job needs 1 GPU(s).\n');
  });
});
