import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import type { ContainerProperties, LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import { JOB_DEFINITION_RULES } from '../../../lib/core/rules/job-definition';
import { runRules, type Rule } from '../../../lib/core/rules/rule';
import type { Finding } from '../../../lib/core/rules/finding';

function ec2(
  container: Partial<ContainerProperties> = {},
  top: Partial<LoadedJobDefinition> = {},
): LoadedJobDefinition {
  return {
    jobDefinitionName: 'render-frames',
    type: 'container',
    containerProperties: {
      image: 'public.ecr.aws/docker/library/busybox:1.36',
      command: ['echo', 'hello'],
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '2048' },
      ],
      ...container,
    },
    source: { stack: 'AppStack', logicalId: 'RenderJobDef' },
    ...top,
  };
}

function model(...jds: LoadedJobDefinition[]): BatchModel {
  return { ...emptyBatchModel(), jobDefinitions: jds };
}

function rule(code: string): Rule {
  const r = JOB_DEFINITION_RULES.find((x) => x.code === code);
  if (!r) throw new Error(`no rule ${code}`);
  return r;
}

function run(code: string, ...jds: LoadedJobDefinition[]): Finding[] {
  const r = rule(code);
  return r.check(model(...jds), { code, severity: r.severity });
}

describe('JOB_DEFINITION_RULES', () => {
  test('codes are unique, ordered and numbered BATCH-JD-001..035', () => {
    const codes = JOB_DEFINITION_RULES.map((r) => r.code);
    expect(codes).toEqual(Array.from({ length: 35 }, (_, i) => `BATCH-JD-${String(i + 1).padStart(3, '0')}`));
    for (const r of JOB_DEFINITION_RULES) expect(r.description.length).toBeGreaterThan(20);
  });

  test('a compliant EC2 container definition gives no finding from any rule', () => {
    expect(runRules(JOB_DEFINITION_RULES, model(ec2()))).toEqual([]);
  });

  test('a compliant definition using the deprecated vcpus/memory fields gives no finding', () => {
    expect(
      runRules(JOB_DEFINITION_RULES, model(ec2({ resourceRequirements: undefined, vcpus: 2, memory: 2000 }))),
    ).toEqual([]);
  });
});

describe('BATCH-JD-001 name', () => {
  test('valid name passes', () => {
    expect(run('BATCH-JD-001', ec2({}, { jobDefinitionName: 'Render_frames-2' }))).toEqual([]);
  });
  test.each(['render.frames', 'has space', '', 'x'.repeat(129)])('name %j is rejected', (name) => {
    const [f] = run('BATCH-JD-001', ec2({}, { jobDefinitionName: name }));
    expect(f.code).toBe('BATCH-JD-001');
    expect(f.severity).toBe('error');
    expect(f.field).toBe('jobDefinitionName');
    expect(f.value).toBe(name);
    expect(f.message).toContain(`Got: ${JSON.stringify(name).slice(0, 100)}`);
    expect(f.message).toContain('1-128 characters of letters, digits, hyphens (-) and underscores (_)');
    expect(f.message).toContain('AppStack/RenderJobDef');
  });
  test('an unresolved name gives the BATCH-UNRESOLVED note', () => {
    const [f] = run('BATCH-JD-001', ec2({}, { jobDefinitionName: unresolvedString('Ref JobName') }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
    expect(f.severity).toBe('info');
    expect(f.message).toContain('rule BATCH-JD-001 skipped');
    expect(f.message).toContain('Ref JobName');
  });
});

describe('BATCH-JD-002 type', () => {
  test('container with containerProperties passes', () => {
    expect(run('BATCH-JD-002', ec2())).toEqual([]);
  });
  test('unknown type is rejected with the allowed values', () => {
    const [f] = run('BATCH-JD-002', ec2({}, { type: 'array' as 'container' }));
    expect(f.field).toBe('type');
    expect(f.message).toContain('"array"');
    expect(f.message).toContain('Allowed: container, multinode');
  });
  test('container without containerProperties is rejected', () => {
    const [f] = run('BATCH-JD-002', { jobDefinitionName: 'a', type: 'container' });
    expect(f.field).toBe('containerProperties');
    expect(f.message).toContain('type container has no containerProperties');
  });
  test('multinode with containerProperties and no nodeProperties gives two findings', () => {
    const fs = run('BATCH-JD-002', ec2({}, { type: 'multinode' }));
    expect(fs.map((f) => f.field)).toEqual(['nodeProperties', 'containerProperties']);
  });
  test('container with nodeProperties is rejected', () => {
    const jd = ec2({}, { nodeProperties: { numNodes: 1, mainNode: 0, nodeRangeProperties: [] } });
    const [f] = run('BATCH-JD-002', jd);
    expect(f.field).toBe('nodeProperties');
  });
});

describe('BATCH-JD-003 image', () => {
  test.each(['busybox', '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2', 'repo/app@sha256:abcdef0123'])(
    'image %s passes',
    (image) => {
      expect(run('BATCH-JD-003', ec2({ image }))).toEqual([]);
    },
  );
  test('missing image is rejected', () => {
    const [f] = run('BATCH-JD-003', ec2({ image: undefined }));
    expect(f.field).toBe('containerProperties.image');
    expect(f.message).toContain('has no image');
  });
  test.each(['my image:latest', 'app:$(tag)', 'a'.repeat(256)])('image %j is rejected', (image) => {
    const [f] = run('BATCH-JD-003', ec2({ image }));
    expect(f.code).toBe('BATCH-JD-003');
    expect(f.message).toContain('1-255 characters');
  });
  test('unresolved image gives the note', () => {
    const [f] = run('BATCH-JD-003', ec2({ image: unresolvedString('Fn::ImportValue RepoUri') }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
    expect(f.field).toBe('containerProperties.image');
  });
});

describe('BATCH-JD-004 vCPUs on EC2', () => {
  test('a whole vCPU passes', () => {
    expect(run('BATCH-JD-004', ec2())).toEqual([]);
  });
  test('fractional vCPU on EC2 is rejected', () => {
    const [f] = run(
      'BATCH-JD-004',
      ec2({
        resourceRequirements: [
          { type: 'VCPU', value: '0.5' },
          { type: 'MEMORY', value: '512' },
        ],
      }),
    );
    expect(f.field).toBe('containerProperties.resourceRequirements[0].value');
    expect(f.message).toContain('"0.5"');
    expect(f.message).toContain('an integer >= 1');
  });
  test('zero vcpus (deprecated field) is rejected', () => {
    const [f] = run('BATCH-JD-004', ec2({ resourceRequirements: undefined, vcpus: 0, memory: 512 }));
    expect(f.field).toBe('containerProperties.vcpus');
    expect(f.value).toBe(0);
  });
  test('missing vCPUs is rejected with the fix', () => {
    const [f] = run('BATCH-JD-004', ec2({ resourceRequirements: [{ type: 'MEMORY', value: '512' }] }));
    expect(f.message).toContain('does not state its vCPUs');
    expect(f.message).toContain('"type": "VCPU"');
  });
  test('Fargate definitions are left to BATCH-JD-024', () => {
    expect(
      run(
        'BATCH-JD-004',
        ec2({ resourceRequirements: [{ type: 'VCPU', value: '0.25' }] }, { platformCapabilities: ['FARGATE'] }),
      ),
    ).toEqual([]);
  });
  test('unresolved vcpus gives the note', () => {
    const [f] = run('BATCH-JD-004', ec2({ resourceRequirements: undefined, vcpus: UNRESOLVED_NUMBER, memory: 512 }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
    expect(f.field).toBe('containerProperties.vcpus');
  });
});

describe('BATCH-JD-005 memory', () => {
  test('4 MiB passes', () => {
    expect(
      run(
        'BATCH-JD-005',
        ec2({
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '4' },
          ],
        }),
      ),
    ).toEqual([]);
  });
  test('3 MiB is rejected', () => {
    const [f] = run(
      'BATCH-JD-005',
      ec2({
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '3' },
        ],
      }),
    );
    expect(f.field).toBe('containerProperties.resourceRequirements[1].value');
    expect(f.message).toContain('at least 4 MiB');
    expect(f.message).toContain('"3"');
  });
  test('missing memory is rejected', () => {
    const [f] = run('BATCH-JD-005', ec2({ resourceRequirements: [{ type: 'VCPU', value: '1' }] }));
    expect(f.message).toContain('does not state its memory (MiB)');
  });
});

describe('BATCH-JD-006 retry attempts', () => {
  test.each([1, 10])('%s attempts pass', (attempts) => {
    expect(run('BATCH-JD-006', ec2({}, { retryStrategy: { attempts } }))).toEqual([]);
  });
  test.each([0, 11, 2.5])('%s attempts are rejected', (attempts) => {
    const [f] = run('BATCH-JD-006', ec2({}, { retryStrategy: { attempts } }));
    expect(f.field).toBe('retryStrategy.attempts');
    expect(f.message).toContain(`Got: ${attempts}`);
    expect(f.message).toContain('an integer from 1 to 10');
  });
  test('unresolved attempts gives the note', () => {
    const [f] = run('BATCH-JD-006', ec2({}, { retryStrategy: { attempts: UNRESOLVED_NUMBER } }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-007 timeout', () => {
  test('60 seconds passes', () => {
    expect(run('BATCH-JD-007', ec2({}, { timeout: { attemptDurationSeconds: 60 } }))).toEqual([]);
  });
  test('59 seconds is rejected', () => {
    const [f] = run('BATCH-JD-007', ec2({}, { timeout: { attemptDurationSeconds: 59 } }));
    expect(f.field).toBe('timeout.attemptDurationSeconds');
    expect(f.message).toContain('Got: 59');
    expect(f.message).toContain('an integer >= 60 (seconds)');
  });
});

describe('BATCH-JD-020 Ref:: placeholders', () => {
  test('placeholders with defaults pass', () => {
    const jd = ec2(
      { command: ['ffmpeg', '-c', 'Ref::codec', '--in=Ref::input'] },
      { parameters: { codec: 'mp4', input: 's3://b/k' } },
    );
    expect(run('BATCH-JD-020', jd)).toEqual([]);
  });
  test('a placeholder without default warns, also inside an argument', () => {
    const jd = ec2({ command: ['ffmpeg', '-c', 'Ref::codec', '--in=Ref::input'] }, { parameters: { codec: 'mp4' } });
    const [f, ...rest] = run('BATCH-JD-020', jd);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('warning');
    expect(f.field).toBe('containerProperties.command[3]');
    expect(f.message).toContain('Ref::input has no default');
    expect(f.message).toContain('parameters: { "input": "..." }');
  });
  test('an unresolved argument gives the note', () => {
    const [f] = run('BATCH-JD-020', ec2({ command: ['echo', unresolvedString('Ref Msg')] }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
    expect(f.field).toBe('containerProperties.command[1]');
  });
});

describe('BATCH-JD-021 size', () => {
  test('a normal definition passes', () => {
    expect(run('BATCH-JD-021', ec2())).toEqual([]);
  });
  test('a definition over 24 KiB is rejected with its size', () => {
    const environment = Array.from({ length: 30 }, (_, i) => ({ name: `VAR_${i}`, value: 'x'.repeat(1000) }));
    const [f] = run('BATCH-JD-021', ec2({ environment }));
    expect(f.code).toBe('BATCH-JD-021');
    expect(f.value as number).toBeGreaterThan(24576);
    expect(f.message).toContain('at most 24576 bytes (24 KiB)');
  });
  test('the source location does not count towards the size', () => {
    const big = ec2({}, { source: { file: 'x'.repeat(30000) } });
    expect(run('BATCH-JD-021', big)).toEqual([]);
  });
});
