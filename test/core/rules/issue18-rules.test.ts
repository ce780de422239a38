/**
 * Rules on small hand-written CloudFormation templates of the kinds users bring: a relative mount
 * path, a service role given by `!Ref`, and a stack with CPU queues and one GPU queue.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { validateModel, type Finding } from '../../../lib/core/rules';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-issue18-rules-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(name: string, yaml: string): Finding[] {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return validateModel(loadBatchModel(file));
}

const codes = (fs: readonly Finding[], code: string) => fs.filter((f) => f.code === code);

const NETWORK = `
  Ce:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeResources:
        Type: EC2
        MaxvCpus: 64
        InstanceTypes: [m5]
        Subnets: [subnet-0123456789abcdef0]
        SecurityGroupIds: [sg-0123456789abcdef0]
        InstanceRole: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
`;

describe('BATCH-JD-032 a relative containerPath', () => {
  const template = (containerPath: string) => `
Resources:
  Jd:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      ContainerProperties:
        Image: busybox
        ResourceRequirements: [{ Type: VCPU, Value: '1' }, { Type: MEMORY, Value: '512' }]
        Volumes: [{ Name: scratch, Host: { SourcePath: /tmp } }]
        MountPoints: [{ SourceVolume: scratch, ContainerPath: ${containerPath} }]
`;

  test('is an error naming the field, the value and an absolute fix', () => {
    const [f, ...rest] = codes(validate('relative-mount', template("'ahhh'")), 'BATCH-JD-032');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('error');
    expect(f.field).toBe('containerProperties.mountPoints[0].containerPath');
    expect(f.value).toBe('ahhh');
    expect(f.message).toMatch(/the container path is relative; Docker and ECS mount volumes only at absolute paths/);
    expect(f.fix).toBe('Use an absolute path, e.g. "/ahhh".');
  });

  test('an absolute path is fine', () => {
    expect(codes(validate('absolute-mount', template('/scratch')), 'BATCH-JD-032')).toEqual([]);
  });
});

describe('BATCH-CE-016 a service role given by Ref', () => {
  const template = (rolePath: string | undefined, serviceRole: string) => `
Resources:
  BatchRole:
    Type: AWS::IAM::Role
    Properties:
      ${rolePath === undefined ? '' : `Path: ${rolePath}`}
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: batch.amazonaws.com }, Action: sts:AssumeRole }]
${NETWORK}        
      ServiceRole: ${serviceRole}
`;

  test('no warning for !Ref of a role of the template without a path, or with the path /', () => {
    expect(codes(validate('role-no-path', template(undefined, '!Ref BatchRole')), 'BATCH-CE-016')).toEqual([]);
    expect(codes(validate('role-root-path', template('/', '!Ref BatchRole')), 'BATCH-CE-016')).toEqual([]);
    expect(codes(validate('role-arn', template('/service-role/', '!GetAtt BatchRole.Arn')), 'BATCH-CE-016')).toEqual(
      [],
    );
  });

  test('a warning naming the path when the role has one', () => {
    const [f] = codes(validate('role-path', template('/service-role/', '!Ref BatchRole')), 'BATCH-CE-016');
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/the service role is given by name, but the role has the path "\/service-role\/"/);
    expect(f.fix).toMatch(/Fn::GetAtt <Role>\.Arn/);
  });

  test('a bare name of a role outside the template still warns', () => {
    const [f] = codes(validate('role-outside', template(undefined, 'AWSBatchServiceRole')), 'BATCH-CE-016');
    expect(f.message).toMatch(/the service role is not an ARN/);
  });
});

describe('BATCH-X-004 a stack with CPU queues and a GPU queue', () => {
  const queues = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => `
  CpuQueue${i}:
    Type: AWS::Batch::JobQueue
    Properties:
      Priority: 1
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: !Ref Ce }]`,
    ).join('');
  const template = (gpuTypes: string) => `
Parameters:
  GpuTypes:
    Type: CommaDelimitedList
Resources:
${NETWORK}
  GpuCe:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeResources:
        Type: EC2
        MaxvCpus: 64
        InstanceTypes: ${gpuTypes}
        Subnets: [subnet-0123456789abcdef0]
        SecurityGroupIds: [sg-0123456789abcdef0]
        InstanceRole: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
        Ec2Configuration: [{ ImageType: ECS_AL2_NVIDIA }]
  GpuQueue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: gpu
      Priority: 1
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: !Ref GpuCe }]
${queues(12)}
  Fold:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      JobDefinitionName: fold
      ContainerProperties:
        Image: busybox
        ResourceRequirements: [{ Type: VCPU, Value: '4' }, { Type: MEMORY, Value: '15000' }, { Type: GPU, Value: '1' }]
`;

  test('no warning on the correct design (12 CPU queues, 1 GPU queue that runs the job)', () => {
    const f = validate('gpu-design', template('[g4dn.xlarge, g5]'));
    expect(f.filter((x) => x.severity !== 'info')).toEqual([]);
  });

  test('one warning for the job, not one per queue, when the GPU types are known only at deployment', () => {
    const f = codes(validate('gpu-param', template('!Ref GpuTypes')), 'BATCH-X-004');
    expect(f).toHaveLength(1);
    expect(f[0].resource.name).toBe('fold');
    expect(f[0].message).toMatch(
      new RegExp(
        String.raw`Not checkable: queue "gpu": compute environment "GpuCe-[0-9a` +
          String.raw`-f]{12}" has instance types known only at deployment\.`,
      ),
    );
  });
});
