/**
 * `batchkit validate` and `batchkit doctor` through the built CLI on small hand-written templates:
 * the exact lines a user reads for a Fargate environment in a private subnet (BATCH-X-008), a job no
 * queue can place (laid out per queue and compute environment), and a relative mount path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runCli } from '../_helpers/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-issue18-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, yaml: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const PRIVATE_FARGATE = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Private:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  PrivateTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PrivateAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Private, RouteTableId: !Ref PrivateTable }
  LogsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.logs',
        SubnetIds: [!Ref Private] }
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: batch, VpcId: !Ref Vpc }
  Fargate:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: fargate
      ComputeResources: { Type: FARGATE, MaxvCpus: 16, Subnets: [!Ref Private], SecurityGroupIds: [!GetAtt Sg.GroupId] }
  Queue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: serverless
      Priority: 1
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: !Ref Fargate }]
`;

const X008 = [
  'ComputeEnvironment "fargate" (private-fargate/Fargate)',
  '  WARNING BATCH-X-008  computeResources.subnets: Fargate jobs here ' +
    'cannot pull their image on AWS (CannotPullContainerError: ... i/o timeout):',
  expect.stringMatching(
    new RegExp(
      String.raw`^ {25}subnet Private \(subnet-[0-9a-f]{17}\), route table Pr` +
        String.raw`ivateTable: no 0\.0\.0\.0\/0 route to a NAT or internet gate` +
        String.raw`way, and no VPC endpoint for ecr\.api, ecr\.dkr, s3\.$`,
    ),
  ),
  '                       Allowed: subnets with a 0.0.0.0/0 route to a ' +
    'NAT gateway; or to an internet gateway with assignPublicIp ENABLED; or ' +
    'VPC endpoints for ecr.api, ecr.dkr, logs and an S3 gateway endpoint on the route table.',
  '                       Fix: route the subnets through a NAT gateway, ' +
    'or set networkConfiguration.assignPublicIp to ENABLED in public ' +
    'subnets, or add the ecr.api, ecr.dkr and logs interface endpoints and an S3 gateway endpoint.',
];

test('validate: a Fargate environment in a private subnet without NAT or endpoints is a warning (exit 0)', () => {
  const r = runCli(['validate', write('private-fargate.yaml', PRIVATE_FARGATE)]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')).toEqual([
    ...X008,
    expect.stringMatching(
      new RegExp(
        String.raw`private-fargate\.yaml: 0 job definition\(s\), 1 job queue\(s\)` +
          String.raw`, 1 compute environment\(s\), 0 scheduling policies: 0 error\(` +
          String.raw`s\), 1 warning\(s\)$`,
      ),
    ),
    '',
  ]);
  const json = JSON.parse(runCli(['validate', path.join(dir, 'private-fargate.yaml'), '--json']).stdout);
  expect(json.findings[0].details).toEqual([{ text: expect.stringMatching(/^subnet Private /) }]);
  expect(runCli(['validate', path.join(dir, 'private-fargate.yaml'), '--exclude', 'BATCH-X-008']).stdout).not.toContain(
    'BATCH-X-008',
  );
});

test('doctor: the same warning from the template alone', () => {
  const r = runCli(['doctor', '--app', path.join(dir, 'private-fargate.yaml')]);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')).toEqual([...X008, '0 error(s), 1 warning(s).', '']);
});

test('validate: a job no queue can place, laid out per queue and compute environment; a relative mount path', () => {
  const file = write(
    'placement.yaml',
    `
Resources:
  Small:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: small
      ComputeResources:
        Type: EC2
        MaxvCpus: 16
        InstanceTypes: [m5.large]
        Subnets: [subnet-0123456789abcdef0]
        SecurityGroupIds: [sg-0123456789abcdef0]
        InstanceRole: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
  Queue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: main
      Priority: 1
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: !Ref Small }]
  Big:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      JobDefinitionName: big
      ContainerProperties:
        Image: busybox
        ResourceRequirements: [{ Type: VCPU, Value: '32' }, { Type: MEMORY, Value: '2048' }]
        Volumes: [{ Name: scratch, Host: { SourcePath: /tmp } }]
        MountPoints: [{ SourceVolume: scratch, ContainerPath: ahhh }]
`,
  );
  const r = runCli(['validate', file]);
  expect(r.code).toBe(1);
  expect(r.stdout.split('\n')).toEqual([
    'JobDefinition "big" (placement/Big)',
    '  ERROR   BATCH-JD-032  containerProperties.mountPoints[0].containerPath: the container path ' +
      'is relative; Docker and ECS mount volumes only at absolute paths, so ' +
      'every attempt of the job fails before it starts. Got: "ahhh". Allowed: ' +
      'an absolute path in the container, starting with "/" (e.g. "/data"). ' +
      'Fix: Use an absolute path, e.g. "/ahhh".',
    '  ERROR   BATCH-X-003  containerProperties: no job queue of the ' +
      'application can ever run this job definition: this job would stay RUNNABLE forever.',
    '                         queue "main"',
    '                           compute environment "small" (EC2)',
    '                             the job needs 32 vCPUs but maxvCpus is 16.',
    '                             the job needs 32 vCPUs but its largest instance type m5.large has 2.',
    '                       Fix: raise maxvCpus, allow larger instance ' +
      "types, or lower the job's resource requirements.",
    expect.stringMatching(
      new RegExp(
        String.raw`placement\.yaml: 1 job definition\(s\), 1 job queue\(s\), 1 ` +
          String.raw`compute environment\(s\), 0 scheduling policies: 2 error\(s\)` +
          String.raw`, 0 warning\(s\)$`,
      ),
    ),
    '',
  ]);
});
