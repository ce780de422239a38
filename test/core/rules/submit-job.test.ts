import type { SubmitJobRequest } from '../../../lib/core/model/job';
import type { JobDefinition } from '../../../lib/core/model/job-definition';
import { UNRESOLVED_NUMBER } from '../../../lib/core/model/unresolved';
import { SUBMIT_JOB_CHECKS, validateSubmitJob } from '../../../lib/core/rules/submit-job';
import type { Finding } from '../../../lib/core/rules/finding';

const request = (extra: Partial<SubmitJobRequest> = {}): SubmitJobRequest => ({
  jobName: 'nightly-etl_1',
  jobQueue: 'default',
  jobDefinition: 'etl:1',
  ...extra,
});

const containerDef: JobDefinition = {
  jobDefinitionName: 'ffmpeg',
  type: 'container',
  parameters: { codec: 'mp4' },
  containerProperties: {
    image: 'my_repo/ffmpeg',
    command: ['ffmpeg', '-i', 'Ref::inputfile', '-c', 'Ref::codec'],
    resourceRequirements: [
      { type: 'VCPU', value: '2' },
      { type: 'MEMORY', value: '2000' },
    ],
  },
};

const multinodeDef: JobDefinition = {
  jobDefinitionName: 'gromacs',
  type: 'multinode',
  nodeProperties: {
    numNodes: 2,
    mainNode: 0,
    nodeRangeProperties: [{ targetNodes: '0:1', container: { image: 'g', vcpus: 8, memory: 24000 } }],
  },
};

const fargateDef: JobDefinition = {
  jobDefinitionName: 'fg',
  type: 'container',
  platformCapabilities: ['FARGATE'],
  containerProperties: {
    image: 'busybox',
    executionRoleArn: 'arn:aws:iam::1:role/x',
    resourceRequirements: [
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '2048' },
    ],
  },
};

function only(code: string, findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code === code);
}

describe('validateSubmitJob', () => {
  test('a plain valid request gives no finding', () => {
    expect(validateSubmitJob(request())).toEqual([]);
  });

  test('a valid request with a definition, parameters, array and overrides gives no finding', () => {
    const r = request({
      parameters: { inputfile: 's3://bucket/in.mov' },
      arrayProperties: { size: 100 },
      dependsOn: [{ jobId: 'a1b2', type: 'N_TO_N' }, { type: 'SEQUENTIAL' }],
      retryStrategy: {
        attempts: 3,
        evaluateOnExit: [
          { action: 'RETRY', onStatusReason: 'Host EC2*' },
          { action: 'exit' as 'EXIT', onReason: '*' },
        ],
      },
      timeout: { attemptDurationSeconds: 600 },
      containerOverrides: {
        environment: [{ name: 'MODE', value: 'fast' }],
        resourceRequirements: [{ type: 'VCPU', value: '4' }],
      },
    });
    expect(validateSubmitJob(r, containerDef)).toEqual([]);
  });

  test('codes are BATCH-SJ-001..014 and findings are of kind SubmitJob', () => {
    expect(SUBMIT_JOB_CHECKS.map((c) => c.code)).toEqual(
      Array.from({ length: 14 }, (_, i) => `BATCH-SJ-${String(i + 1).padStart(3, '0')}`),
    );
    const [f] = validateSubmitJob(request({ jobName: '-bad' }));
    expect(f.resource).toEqual({ kind: 'SubmitJob', name: '-bad' });
    expect(f.message.startsWith('SubmitJob "-bad" jobName:')).toBe(true);
  });
});

describe('BATCH-SJ-001 jobName', () => {
  test.each(['a', '9lives', 'A_b-c', 'x'.repeat(128)])('%s passes', (jobName) => {
    expect(only('BATCH-SJ-001', validateSubmitJob(request({ jobName })))).toEqual([]);
  });
  test.each(['-lead', '_lead', 'has space', 'dot.ted', '', 'x'.repeat(129)])('%j is rejected', (jobName) => {
    const [f] = only('BATCH-SJ-001', validateSubmitJob(request({ jobName })));
    expect(f.field).toBe('jobName');
    expect(f.value).toBe(jobName);
    expect(f.message).toContain('the first a letter or digit');
  });
});

describe('BATCH-SJ-002/003/004 dependsOn', () => {
  test('20 dependencies pass, 21 are rejected', () => {
    const deps = (n: number) => Array.from({ length: n }, (_, i) => ({ jobId: `job-${i}` }));
    expect(only('BATCH-SJ-002', validateSubmitJob(request({ dependsOn: deps(20) })))).toEqual([]);
    const [f] = only('BATCH-SJ-002', validateSubmitJob(request({ dependsOn: deps(21) })));
    expect(f.message).toContain('depends on 21 jobs');
    expect(f.message).toContain('at most 20 dependencies');
  });
  test('a dependency without jobId or with an unknown type is rejected', () => {
    const fs = only(
      'BATCH-SJ-003',
      validateSubmitJob(request({ dependsOn: [{}, { jobId: 'j', type: 'ALL' as 'N_TO_N' }] })),
    );
    expect(fs.map((f) => f.field)).toEqual(['dependsOn[0].jobId', 'dependsOn[1].type']);
    expect(fs[1].message).toContain('"ALL"');
    expect(fs[1].message).toContain('N_TO_N or SEQUENTIAL');
  });
  test('N_TO_N on a non-array job is rejected, on an array job accepted', () => {
    const dep = [{ jobId: 'j', type: 'N_TO_N' as const }];
    const [f] = only('BATCH-SJ-004', validateSubmitJob(request({ dependsOn: dep })));
    expect(f.field).toBe('dependsOn[0].type');
    expect(f.message).toContain('applies only to array jobs');
    expect(only('BATCH-SJ-004', validateSubmitJob(request({ dependsOn: dep, arrayProperties: { size: 10 } })))).toEqual(
      [],
    );
  });
});

describe('BATCH-SJ-005 array size', () => {
  test.each([2, 10000])('%s passes', (size) => {
    expect(only('BATCH-SJ-005', validateSubmitJob(request({ arrayProperties: { size } })))).toEqual([]);
  });
  test.each([1, 10001, 2.5])('%s is rejected', (size) => {
    const [f] = only('BATCH-SJ-005', validateSubmitJob(request({ arrayProperties: { size } })));
    expect(f.field).toBe('arrayProperties.size');
    expect(f.message).toContain('an integer from 2 to 10000');
  });
  test('an unresolved size gives the note', () => {
    const [f] = validateSubmitJob(request({ arrayProperties: { size: UNRESOLVED_NUMBER } }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
    expect(f.message).toContain('rule BATCH-SJ-005 skipped');
  });
});

describe('BATCH-SJ-006 retry override', () => {
  test('11 attempts, a bad pattern and an empty entry are rejected', () => {
    const fs = only(
      'BATCH-SJ-006',
      validateSubmitJob(
        request({
          retryStrategy: { attempts: 11, evaluateOnExit: [{ action: 'RETRY' }, { action: 'EXIT', onExitCode: 'x1' }] },
        }),
      ),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'retryStrategy.attempts',
      'retryStrategy.evaluateOnExit[0]',
      'retryStrategy.evaluateOnExit[1].onExitCode',
    ]);
    expect(fs[0].message).toContain('Got: 11');
  });
});

describe('BATCH-SJ-007 timeout override', () => {
  test('60 passes, 30 is rejected', () => {
    expect(only('BATCH-SJ-007', validateSubmitJob(request({ timeout: { attemptDurationSeconds: 60 } })))).toEqual([]);
    const [f] = only('BATCH-SJ-007', validateSubmitJob(request({ timeout: { attemptDurationSeconds: 30 } })));
    expect(f.message).toContain('Got: 30');
    expect(f.message).toContain('an integer >= 60 (seconds)');
  });
});

describe('BATCH-SJ-008 environment overrides', () => {
  test('AWS_BATCH names are rejected, also in node overrides', () => {
    const fs = only(
      'BATCH-SJ-008',
      validateSubmitJob(
        request({
          containerOverrides: { environment: [{ name: 'AWS_BATCH_JOB_ATTEMPT', value: '1' }] },
          nodeOverrides: {
            nodePropertyOverrides: [{ targetNodes: '0:', containerOverrides: { environment: [{ name: 'X' }] } }],
          },
        }),
      ),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'containerOverrides.environment[0].name',
      'nodeOverrides.nodePropertyOverrides[0].containerOverrides.environment[0]',
    ]);
    expect(fs[0].message).toContain('must not start with AWS_BATCH');
    expect(fs[1].message).toContain('no name or no value');
  });
  test('a name containing "=" is rejected, also in node overrides', () => {
    const fs = only(
      'BATCH-SJ-008',
      validateSubmitJob(
        request({
          containerOverrides: {
            environment: [
              { name: 'PATH=/evil:$PATH', value: 'x' },
              { name: 'FINE', value: 'a=b' },
            ],
          },
          nodeOverrides: {
            nodePropertyOverrides: [
              { targetNodes: '0:', containerOverrides: { environment: [{ name: '=X', value: '1' }] } },
            ],
          },
        }),
      ),
    );
    expect(fs.map((f) => [f.field, f.value])).toEqual([
      ['containerOverrides.environment[0].name', 'PATH=/evil:$PATH'],
      ['nodeOverrides.nodePropertyOverrides[0].containerOverrides.environment[0].name', '=X'],
    ]);
    expect(fs[0].message).toContain('contains "="');
  });
});

describe('BATCH-SJ-009 resource overrides', () => {
  test('positive amounts pass', () => {
    expect(
      only(
        'BATCH-SJ-009',
        validateSubmitJob(
          request({ containerOverrides: { vcpus: 2, memory: 4, resourceRequirements: [{ type: 'GPU', value: '1' }] } }),
        ),
      ),
    ).toEqual([]);
  });
  test('zero vcpus, 2 MiB and a fractional GPU are rejected', () => {
    const fs = only(
      'BATCH-SJ-009',
      validateSubmitJob(
        request({
          containerOverrides: {
            vcpus: 0,
            memory: 2,
            resourceRequirements: [
              { type: 'GPU', value: '0.5' },
              { type: 'DISK' as 'GPU', value: '1' },
            ],
          },
        }),
      ),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'containerOverrides.vcpus',
      'containerOverrides.memory',
      'containerOverrides.resourceRequirements[0].value',
      'containerOverrides.resourceRequirements[1].type',
    ]);
    expect(fs[1].message).toContain('at least 4 MiB');
    expect(fs[3].message).toContain('Allowed: GPU, VCPU, MEMORY');
  });
});

describe('BATCH-SJ-010 size', () => {
  test('a request over 30 KiB is rejected', () => {
    const [f] = only('BATCH-SJ-010', validateSubmitJob(request({ parameters: { blob: 'x'.repeat(31000) } })));
    expect(f.value as number).toBeGreaterThan(30720);
    expect(f.message).toContain('at most 30720 bytes (30 KiB)');
  });
  test('a request just under 30 KiB passes', () => {
    expect(only('BATCH-SJ-010', validateSubmitJob(request({ parameters: { blob: 'x'.repeat(30000) } })))).toEqual([]);
  });
});

describe('BATCH-SJ-011 placeholders', () => {
  test('a placeholder supplied by neither request nor defaults is rejected', () => {
    const [f] = only('BATCH-SJ-011', validateSubmitJob(request(), containerDef));
    expect(f.field).toBe('jobDefinition containerProperties.command');
    expect(f.message).toContain('Ref::inputfile');
    expect(f.message).toContain('parameters: { "inputfile": "<value>" }');
  });
  test('request parameters or a command override without placeholders satisfy it', () => {
    expect(only('BATCH-SJ-011', validateSubmitJob(request({ parameters: { inputfile: 'a' } }), containerDef))).toEqual(
      [],
    );
    expect(
      only(
        'BATCH-SJ-011',
        validateSubmitJob(request({ containerOverrides: { command: ['echo', 'Ref::codec'] } }), containerDef),
      ),
    ).toEqual([]);
  });
  test('without a definition the check is skipped', () => {
    expect(only('BATCH-SJ-011', validateSubmitJob(request()))).toEqual([]);
  });
});

describe('BATCH-SJ-012 override kinds', () => {
  test('containerOverrides and arrayProperties on a multinode definition are rejected', () => {
    const fs = only(
      'BATCH-SJ-012',
      validateSubmitJob(
        request({ containerOverrides: { command: ['x'] }, arrayProperties: { size: 2 } }),
        multinodeDef,
      ),
    );
    expect(fs.map((f) => f.field)).toEqual(['containerOverrides', 'arrayProperties']);
    expect(fs[0].message).toContain('"gromacs" is multinode');
    expect(fs[0].message).toContain('nodeOverrides');
  });
  test('nodeOverrides on a container definition are rejected; matching kinds pass', () => {
    const [f] = only('BATCH-SJ-012', validateSubmitJob(request({ nodeOverrides: { numNodes: 2 } }), containerDef));
    expect(f.field).toBe('nodeOverrides');
    expect(only('BATCH-SJ-012', validateSubmitJob(request({ nodeOverrides: { numNodes: 2 } }), multinodeDef))).toEqual(
      [],
    );
  });
});

describe('BATCH-SJ-013 Fargate overrides', () => {
  test('a memory override valid for the definition vCPUs passes', () => {
    expect(
      only(
        'BATCH-SJ-013',
        validateSubmitJob(
          request({ containerOverrides: { resourceRequirements: [{ type: 'MEMORY', value: '8192' }] } }),
          fargateDef,
        ),
      ),
    ).toEqual([]);
  });
  test('a memory override invalid for the definition vCPUs is rejected', () => {
    const [f] = only(
      'BATCH-SJ-013',
      validateSubmitJob(
        request({ containerOverrides: { resourceRequirements: [{ type: 'MEMORY', value: '512' }] } }),
        fargateDef,
      ),
    );
    expect(f.field).toBe('containerOverrides.resourceRequirements[0].value');
    expect(f.message).toContain('does not run 1 vCPU with 512 MiB');
    expect(f.message).toContain('2048-8192 MiB in steps of 1024');
  });
  test('EC2 definitions are not checked', () => {
    expect(
      only('BATCH-SJ-013', validateSubmitJob(request({ containerOverrides: { memory: 512 } }), containerDef)),
    ).toEqual([]);
  });
});
