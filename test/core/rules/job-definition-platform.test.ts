import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { ContainerProperties, EvaluateOnExit, LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { unresolvedString } from '../../../lib/core/model/unresolved';
import { JOB_DEFINITION_RULES } from '../../../lib/core/rules/job-definition';
import { runRules } from '../../../lib/core/rules/rule';
import type { Finding } from '../../../lib/core/rules/finding';

const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';

function fargate(
  container: Partial<ContainerProperties> = {},
  top: Partial<LoadedJobDefinition> = {},
): LoadedJobDefinition {
  return {
    jobDefinitionName: 'fg',
    type: 'container',
    platformCapabilities: ['FARGATE'],
    containerProperties: {
      image: 'busybox',
      executionRoleArn: ROLE,
      resourceRequirements: [
        { type: 'VCPU', value: '0.25' },
        { type: 'MEMORY', value: '512' },
      ],
      networkConfiguration: { assignPublicIp: 'DISABLED' },
      ...container,
    },
    ...top,
  };
}

function ec2(
  container: Partial<ContainerProperties> = {},
  top: Partial<LoadedJobDefinition> = {},
): LoadedJobDefinition {
  return {
    jobDefinitionName: 'ec2',
    type: 'container',
    containerProperties: {
      image: 'busybox',
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '1024' },
      ],
      ...container,
    },
    ...top,
  };
}

const withRetry = (evaluateOnExit: EvaluateOnExit[]) => ec2({}, { retryStrategy: { attempts: 3, evaluateOnExit } });

function run(code: string, jd: LoadedJobDefinition): Finding[] {
  const r = JOB_DEFINITION_RULES.find((x) => x.code === code)!;
  return r.check({ ...emptyBatchModel(), jobDefinitions: [jd] }, { code, severity: r.severity });
}

test('a compliant Fargate definition gives no finding from any rule', () => {
  const jd = fargate({
    fargatePlatformConfiguration: { platformVersion: 'LATEST' },
    ephemeralStorage: { sizeInGiB: 30 },
  });
  expect(runRules(JOB_DEFINITION_RULES, { ...emptyBatchModel(), jobDefinitions: [jd] })).toEqual([]);
});

describe('BATCH-JD-022 evaluateOnExit structure', () => {
  test('the User Guide example passes', () => {
    const jd = withRetry([
      { action: 'RETRY', onReason: 'AGENT' },
      { action: 'RETRY', onStatusReason: 'Task failed to start' },
      { action: 'EXIT', onReason: '*' },
    ]);
    expect(run('BATCH-JD-022', jd)).toEqual([]);
  });
  test('lower-case actions are accepted', () => {
    expect(run('BATCH-JD-022', withRetry([{ action: 'retry' as 'RETRY', onExitCode: '1' }]))).toEqual([]);
  });
  test('six entries are rejected', () => {
    const [f] = run(
      'BATCH-JD-022',
      withRetry(Array.from({ length: 6 }, (_, i) => ({ action: 'RETRY' as const, onExitCode: String(i) }))),
    );
    expect(f.field).toBe('retryStrategy.evaluateOnExit');
    expect(f.message).toContain('has 6 evaluateOnExit entries');
    expect(f.message).toContain('at most 5 entries');
  });
  test('an entry without condition and a bad action are rejected', () => {
    const fs = run('BATCH-JD-022', withRetry([{ action: 'EXIT' }, { action: 'ABORT' as 'EXIT', onExitCode: '1' }]));
    expect(fs.map((f) => f.field)).toEqual([
      'retryStrategy.evaluateOnExit[0]',
      'retryStrategy.evaluateOnExit[1].action',
    ]);
    expect(fs[0].message).toContain('at least one of onExitCode, onReason, onStatusReason');
    expect(fs[1].message).toContain('"ABORT"');
    expect(fs[1].message).toContain('RETRY or EXIT (case-insensitive)');
  });
  test('evaluateOnExit without attempts is rejected', () => {
    const [f] = run(
      'BATCH-JD-022',
      ec2({}, { retryStrategy: { evaluateOnExit: [{ action: 'EXIT', onExitCode: '*' }] } }),
    );
    expect(f.field).toBe('retryStrategy.attempts');
    expect(f.message).toContain('Batch requires attempts whenever evaluateOnExit is specified');
  });
  test('an unresolved action gives the note', () => {
    const [f] = run('BATCH-JD-022', withRetry([{ action: unresolvedString('Ref Action') as 'EXIT', onExitCode: '1' }]));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-023 evaluateOnExit patterns', () => {
  test('valid patterns pass', () => {
    const jd = withRetry([
      { action: 'RETRY', onStatusReason: 'Host EC2*' },
      { action: 'RETRY', onReason: 'CannotPullContainerError:*' },
      { action: 'EXIT', onExitCode: '1*' },
    ]);
    expect(run('BATCH-JD-023', jd)).toEqual([]);
  });
  test('a non-digit exit code and a reason with a hyphen are rejected', () => {
    const fs = run(
      'BATCH-JD-023',
      withRetry([
        { action: 'EXIT', onExitCode: '1-9' },
        { action: 'RETRY', onReason: 'Out-of-memory*' },
      ]),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'retryStrategy.evaluateOnExit[0].onExitCode',
      'retryStrategy.evaluateOnExit[1].onReason',
    ]);
    expect(fs[0].message).toContain('"1-9"');
    expect(fs[0].message).toContain('digits only');
    expect(fs[1].message).toContain('letters, digits, periods (.), colons (:), spaces and tabs');
  });
  test('a star in the middle is rejected', () => {
    const [f] = run('BATCH-JD-023', withRetry([{ action: 'EXIT', onStatusReason: 'Host*terminated' }]));
    expect(f.field).toBe('retryStrategy.evaluateOnExit[0].onStatusReason');
  });
  test('an unresolved pattern gives the note', () => {
    const [f] = run('BATCH-JD-023', withRetry([{ action: 'EXIT', onExitCode: unresolvedString('Ref Code') }]));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-024 Fargate sizes', () => {
  test.each([
    ['0.25', '2048'],
    ['4', '30720'],
    ['16', '122880'],
  ])('%s vCPU with %s MiB passes', (v, m) => {
    expect(
      run(
        'BATCH-JD-024',
        fargate({
          resourceRequirements: [
            { type: 'VCPU', value: v },
            { type: 'MEMORY', value: m },
          ],
        }),
      ),
    ).toEqual([]);
  });
  test('1 vCPU with 1024 MiB is rejected with the allowed sizes and a fix', () => {
    const [f] = run(
      'BATCH-JD-024',
      fargate({
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '1024' },
        ],
      }),
    );
    expect(f.field).toBe('containerProperties.resourceRequirements[1].value');
    expect(f.message).toContain('does not run 1 vCPU with 1024 MiB');
    expect(f.message).toContain('with 1 vCPU: 2048-8192 MiB in steps of 1024');
    expect(f.message).toContain('change vCPUs to 0.25 or 0.5');
  });
  test('3 vCPU is rejected with the Fargate vCPU values', () => {
    const [f] = run(
      'BATCH-JD-024',
      fargate({
        resourceRequirements: [
          { type: 'VCPU', value: '3' },
          { type: 'MEMORY', value: '8192' },
        ],
      }),
    );
    expect(f.field).toBe('containerProperties.resourceRequirements[0].value');
    expect(f.message).toContain('Allowed: 0.25, 0.5, 1, 2, 4, 8, 16');
  });
  test('missing MEMORY is rejected', () => {
    const [f] = run('BATCH-JD-024', fargate({ resourceRequirements: [{ type: 'VCPU', value: '1' }] }));
    expect(f.message).toContain('must state MEMORY in resourceRequirements');
  });
  test('an unresolved memory gives the note', () => {
    const [f] = run(
      'BATCH-JD-024',
      fargate({
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: unresolvedString('Ref Mem') },
        ],
      }),
    );
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
  test('EC2 definitions are not checked against the Fargate table', () => {
    expect(
      run(
        'BATCH-JD-024',
        ec2({
          resourceRequirements: [
            { type: 'VCPU', value: '3' },
            { type: 'MEMORY', value: '1000' },
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe('BATCH-JD-025 GPU on Fargate', () => {
  test('GPU on EC2 passes', () => {
    expect(
      run(
        'BATCH-JD-025',
        ec2({
          resourceRequirements: [
            { type: 'VCPU', value: '4' },
            { type: 'MEMORY', value: '8192' },
            { type: 'GPU', value: '1' },
          ],
        }),
      ),
    ).toEqual([]);
  });
  test('GPU on Fargate is rejected', () => {
    const [f] = run(
      'BATCH-JD-025',
      fargate({
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '2048' },
          { type: 'GPU', value: '1' },
        ],
      }),
    );
    expect(f.field).toBe('containerProperties.resourceRequirements[2]');
    expect(f.message).toContain('GPUs are not available for jobs that run on Fargate');
  });
});

describe('BATCH-JD-026 EFS on Fargate', () => {
  const volumes = [{ name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-12345678' } }];
  test('EFS with platform 1.4.0 passes, and with no version (LATEST)', () => {
    expect(
      run('BATCH-JD-026', fargate({ volumes, fargatePlatformConfiguration: { platformVersion: '1.4.0' } })),
    ).toEqual([]);
    expect(run('BATCH-JD-026', fargate({ volumes }))).toEqual([]);
  });
  test('EFS with platform 1.3.0 is rejected', () => {
    const [f] = run('BATCH-JD-026', fargate({ volumes, fargatePlatformConfiguration: { platformVersion: '1.3.0' } }));
    expect(f.field).toBe('containerProperties.fargatePlatformConfiguration.platformVersion');
    expect(f.message).toContain('"1.3.0"');
    expect(f.message).toContain('"1.4.0" or later, or "LATEST"');
  });
  test('an unresolved platform version gives the note', () => {
    const [f] = run(
      'BATCH-JD-026',
      fargate({ volumes, fargatePlatformConfiguration: { platformVersion: unresolvedString('Ref Pv') } }),
    );
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-027 multinode on Fargate', () => {
  const nodes = {
    numNodes: 2,
    mainNode: 0,
    nodeRangeProperties: [{ targetNodes: '0:', container: { image: 'busybox', vcpus: 1, memory: 512 } }],
  };
  test('multinode on EC2 passes', () => {
    expect(
      run('BATCH-JD-027', {
        jobDefinitionName: 'm',
        type: 'multinode',
        nodeProperties: nodes,
        platformCapabilities: ['EC2'],
      }),
    ).toEqual([]);
  });
  test('multinode on Fargate is rejected', () => {
    const [f] = run('BATCH-JD-027', {
      jobDefinitionName: 'm',
      type: 'multinode',
      nodeProperties: nodes,
      platformCapabilities: ['FARGATE'],
    });
    expect(f.field).toBe('platformCapabilities');
    expect(f.message).toContain('not supported on Fargate');
  });
});

describe('BATCH-JD-028 misplaced platform fields', () => {
  test('privileged and devices on Fargate warn', () => {
    const fs = run(
      'BATCH-JD-028',
      fargate({ privileged: true, linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] } }),
    );
    expect(fs.map((f) => [f.severity, f.field])).toEqual([
      ['warning', 'containerProperties.privileged'],
      ['warning', 'containerProperties.linuxParameters.devices'],
    ]);
    expect(fs[0].message).toContain('applies only to jobs on EC2 resources');
  });
  test('networkConfiguration and fargatePlatformConfiguration on EC2 warn', () => {
    const fs = run(
      'BATCH-JD-028',
      ec2({
        networkConfiguration: { assignPublicIp: 'ENABLED' },
        fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      }),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'containerProperties.networkConfiguration',
      'containerProperties.fargatePlatformConfiguration',
    ]);
    expect(fs[0].message).toContain('applies only to jobs on Fargate resources');
  });
  test('fields of the right platform pass', () => {
    expect(run('BATCH-JD-028', ec2({ privileged: true }))).toEqual([]);
    expect(run('BATCH-JD-028', fargate())).toEqual([]);
  });
});

describe('BATCH-JD-029 execution role on Fargate', () => {
  test('present role passes', () => {
    expect(run('BATCH-JD-029', fargate())).toEqual([]);
  });
  test('missing role is rejected', () => {
    const [f] = run('BATCH-JD-029', fargate({ executionRoleArn: undefined }));
    expect(f.field).toBe('containerProperties.executionRoleArn');
    expect(f.message).toContain('needs an execution role');
  });
  test('an unresolved role gives the note', () => {
    const [f] = run('BATCH-JD-029', fargate({ executionRoleArn: unresolvedString('Fn::GetAtt Role.Arn') }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-030 deprecated vcpus/memory on Fargate', () => {
  test('resourceRequirements pass', () => {
    expect(run('BATCH-JD-030', fargate())).toEqual([]);
  });
  test('top-level vcpus and memory are rejected', () => {
    const fs = run('BATCH-JD-030', fargate({ resourceRequirements: undefined, vcpus: 1, memory: 2048 }));
    expect(fs.map((f) => f.field)).toEqual(['containerProperties.vcpus', 'containerProperties.memory']);
    expect(fs[0].message).toContain('not applicable to jobs on Fargate');
    expect(fs[0].message).toContain('"type": "VCPU"');
  });
});

describe('BATCH-JD-031 platformCapabilities', () => {
  test('one known platform passes', () => {
    expect(run('BATCH-JD-031', ec2({}, { platformCapabilities: ['EC2'] }))).toEqual([]);
  });
  test('two platforms or an unknown one are rejected', () => {
    expect(run('BATCH-JD-031', ec2({}, { platformCapabilities: ['EC2', 'FARGATE'] }))[0].message).toContain(
      '["EC2"] or ["FARGATE"]',
    );
    expect(run('BATCH-JD-031', ec2({}, { platformCapabilities: ['LAMBDA' as 'EC2'] }))[0].message).toContain(
      '["LAMBDA"]',
    );
  });
});
