import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { ContainerProperties, LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import { JOB_DEFINITION_RULES } from '../../../lib/core/rules/job-definition';
import type { Finding } from '../../../lib/core/rules/finding';

function ec2(container: Partial<ContainerProperties> = {}): LoadedJobDefinition {
  return {
    jobDefinitionName: 'etl',
    type: 'container',
    containerProperties: {
      image: 'busybox',
      resourceRequirements: [
        { type: 'VCPU', value: '2' },
        { type: 'MEMORY', value: '4096' },
      ],
      ...container,
    },
  };
}

function run(code: string, jd: LoadedJobDefinition): Finding[] {
  const r = JOB_DEFINITION_RULES.find((x) => x.code === code)!;
  return r.check({ ...emptyBatchModel(), jobDefinitions: [jd] }, { code, severity: r.severity });
}

describe('BATCH-JD-008 reserved environment names', () => {
  test('ordinary names pass', () => {
    expect(run('BATCH-JD-008', ec2({ environment: [{ name: 'BATCH_FILE_TYPE', value: 'script' }] }))).toEqual([]);
  });
  test('AWS_BATCH prefix is rejected', () => {
    const [f] = run(
      'BATCH-JD-008',
      ec2({
        environment: [
          { name: 'A', value: '1' },
          { name: 'AWS_BATCH_JOB_ID', value: 'x' },
        ],
      }),
    );
    expect(f.field).toBe('containerProperties.environment[1].name');
    expect(f.message).toContain('"AWS_BATCH_JOB_ID"');
    expect(f.message).toContain('does not start with AWS_BATCH');
    expect(f.message).toContain('MY_AWS_BATCH_JOB_ID');
  });
  test('unresolved name gives the note', () => {
    const [f] = run('BATCH-JD-008', ec2({ environment: [{ name: unresolvedString('Ref VarName'), value: '1' }] }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-009 environment pairs', () => {
  test('name with empty value passes', () => {
    expect(run('BATCH-JD-009', ec2({ environment: [{ name: 'EMPTY', value: '' }] }))).toEqual([]);
  });
  test('missing value and missing name are rejected', () => {
    const fs = run('BATCH-JD-009', ec2({ environment: [{ name: 'NO_VALUE' }, { value: 'orphan' }] }));
    expect(fs.map((f) => f.field)).toEqual([
      'containerProperties.environment[0]',
      'containerProperties.environment[1]',
    ]);
    expect(fs[0].message).toContain('has no value');
    expect(fs[1].message).toContain('has no name');
  });
  test('a name containing "=" is rejected with the rule and a renamed suggestion', () => {
    const fs = run(
      'BATCH-JD-009',
      ec2({
        environment: [
          { name: 'OK', value: '1' },
          { name: 'A=B', value: 'c' },
        ],
      }),
    );
    expect(fs.map((f) => [f.field, f.value])).toEqual([['containerProperties.environment[1].name', 'A=B']]);
    expect(fs[0].message).toContain('contains "="');
    expect(fs[0].message).toContain('Rename the variable without "=", e.g. "A_B"');
  });
});

describe('BATCH-JD-010 mount points', () => {
  const volumes = [{ name: 'scratch', host: { sourcePath: '/mnt/scratch' } }];
  test('a mount point of a declared volume passes', () => {
    expect(
      run('BATCH-JD-010', ec2({ volumes, mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }] })),
    ).toEqual([]);
  });
  test('an undeclared source volume is rejected with the declared names', () => {
    const [f] = run('BATCH-JD-010', ec2({ volumes, mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }));
    expect(f.field).toBe('containerProperties.mountPoints[0].sourceVolume');
    expect(f.message).toContain('"data"');
    expect(f.message).toContain('one of the volume names: scratch');
  });
  test('a missing containerPath is rejected', () => {
    const [f] = run('BATCH-JD-010', ec2({ volumes, mountPoints: [{ sourceVolume: 'scratch' }] }));
    expect(f.field).toBe('containerProperties.mountPoints[0].containerPath');
  });
  test('an unresolved source volume gives the note', () => {
    const [f] = run(
      'BATCH-JD-010',
      ec2({ volumes, mountPoints: [{ sourceVolume: unresolvedString('Ref Vol'), containerPath: '/x' }] }),
    );
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-011 volume names', () => {
  test('unique valid names pass', () => {
    expect(run('BATCH-JD-011', ec2({ volumes: [{ name: 'a-1' }, { name: 'b_2' }] }))).toEqual([]);
  });
  test('invalid, missing and duplicate names are rejected', () => {
    const fs = run('BATCH-JD-011', ec2({ volumes: [{ name: 'my volume' }, {}, { name: 'x' }, { name: 'x' }] }));
    expect(fs.map((f) => f.field)).toEqual([
      'containerProperties.volumes[0].name',
      'containerProperties.volumes[1].name',
      'containerProperties.volumes[3].name',
    ]);
    expect(fs[0].message).toContain('1-255 characters');
    expect(fs[1].message).toContain('has no name');
    expect(fs[2].message).toContain('same name');
  });
});

describe('BATCH-JD-012 ulimits', () => {
  test('a complete ulimit passes', () => {
    expect(run('BATCH-JD-012', ec2({ ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }] }))).toEqual([]);
  });
  test('soft above hard is rejected', () => {
    const [f] = run('BATCH-JD-012', ec2({ ulimits: [{ name: 'nofile', softLimit: 8192, hardLimit: 4096 }] }));
    expect(f.field).toBe('containerProperties.ulimits[0]');
    expect(f.message).toContain('softLimit is above hardLimit');
  });
  test('missing name and fractional limit are rejected', () => {
    const [f] = run('BATCH-JD-012', ec2({ ulimits: [{ softLimit: 1.5, hardLimit: 4 } as never] }));
    expect(f.message).toContain('it has no name');
    expect(f.message).toContain('softLimit is not a non-negative integer');
  });
  test('an unresolved limit gives the note', () => {
    const [f] = run('BATCH-JD-012', ec2({ ulimits: [{ name: 'nofile', softLimit: UNRESOLVED_NUMBER, hardLimit: 4 }] }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
    expect(f.field).toBe('containerProperties.ulimits[0].softLimit');
  });
});

describe('BATCH-JD-013 resource requirements', () => {
  test('VCPU, MEMORY and GPU with positive values pass', () => {
    expect(
      run(
        'BATCH-JD-013',
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
  test('an unknown type is rejected with the allowed types', () => {
    const [f] = run('BATCH-JD-013', ec2({ resourceRequirements: [{ type: 'CPU' as 'VCPU', value: '1' }] }));
    expect(f.field).toBe('containerProperties.resourceRequirements[0].type');
    expect(f.message).toContain('"CPU"');
    expect(f.message).toContain('Allowed: GPU, VCPU, MEMORY');
  });
  test.each(['0', '-1', 'two', '1.5GB'])('value %j is rejected', (value) => {
    const [f] = run('BATCH-JD-013', ec2({ resourceRequirements: [{ type: 'MEMORY', value }] }));
    expect(f.field).toBe('containerProperties.resourceRequirements[0].value');
    expect(f.message).toContain(JSON.stringify(value));
  });
  test('a fractional GPU and a duplicate type are rejected', () => {
    const fs = run(
      'BATCH-JD-013',
      ec2({
        resourceRequirements: [
          { type: 'GPU', value: '0.5' },
          { type: 'VCPU', value: '1' },
          { type: 'VCPU', value: '2' },
        ],
      }),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'containerProperties.resourceRequirements[0].value',
      'containerProperties.resourceRequirements[2].type',
    ]);
    expect(fs[0].message).toContain('positive whole number');
    expect(fs[1].message).toContain('VCPU is requested more than once');
  });
  test('an unresolved value gives the note', () => {
    const [f] = run(
      'BATCH-JD-013',
      ec2({ resourceRequirements: [{ type: 'VCPU', value: unresolvedString('Ref Cpus') }] }),
    );
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-014 devices', () => {
  test('a device with valid permissions passes', () => {
    expect(
      run(
        'BATCH-JD-014',
        ec2({ linuxParameters: { devices: [{ hostPath: '/dev/fuse', permissions: ['READ', 'WRITE'] }] } }),
      ),
    ).toEqual([]);
  });
  test('an EFA device with defaults passes', () => {
    expect(
      run('BATCH-JD-014', ec2({ linuxParameters: { devices: [{ hostPath: '/dev/infiniband/uverbs0' }] } })),
    ).toEqual([]);
  });
  test('a missing host path and an unknown permission are rejected', () => {
    const fs = run(
      'BATCH-JD-014',
      ec2({ linuxParameters: { devices: [{ hostPath: '', permissions: ['READ', 'EXECUTE' as 'READ'] }] } }),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'containerProperties.linuxParameters.devices[0].hostPath',
      'containerProperties.linuxParameters.devices[0].permissions',
    ]);
    expect(fs[1].message).toContain('["EXECUTE"]');
    expect(fs[1].message).toContain('Allowed: READ, WRITE, MKNOD');
  });
  test('an EFA device at another path or with partial permissions is rejected', () => {
    const fs = run(
      'BATCH-JD-014',
      ec2({
        linuxParameters: {
          devices: [{ hostPath: '/dev/infiniband/uverbs0', containerPath: '/dev/efa', permissions: ['READ'] }],
        },
      }),
    );
    expect(fs.map((f) => f.field)).toEqual([
      'containerProperties.linuxParameters.devices[0].containerPath',
      'containerProperties.linuxParameters.devices[0].permissions',
    ]);
    expect(fs[0].message).toContain('EFA device must appear in the container at its host path');
    expect(fs[1].message).toContain('READ, WRITE and MKNOD');
  });
  test('an unresolved host path gives the note', () => {
    const [f] = run('BATCH-JD-014', ec2({ linuxParameters: { devices: [{ hostPath: unresolvedString('Ref Dev') }] } }));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});
