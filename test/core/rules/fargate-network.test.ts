/**
 * BATCH-X-008 on small hand-written templates: a Fargate environment in subnets that give its tasks
 * no way to pull an image (no NAT route, an internet gateway without a public IP, missing VPC
 * endpoints), and the designs that work.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { fargateNetworkCheck } from '../../../lib/cli/fargate-network';
import type { Finding } from '../../../lib/core/rules/finding';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-fargate-net-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Design {
  /** Route of the private route table: `nat`, `igw` or none. */
  readonly route?: 'nat' | 'igw';
  /** Interface endpoints (`ecr.api`, ...) and whether the S3 gateway endpoint is on the route table. */
  readonly endpoints?: readonly string[];
  readonly s3OnTable?: boolean;
  /** assignPublicIp of the Fargate job definition. */
  readonly publicIp?: 'ENABLED' | 'DISABLED';
  /** Subnets of the environment as written (default `[!Ref Subnet]`). */
  readonly subnets?: string;
}

function template(d: Design): string {
  const route =
    d.route === 'nat'
      ? `
  Eip:
    Type: AWS::EC2::EIP
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref Subnet, AllocationId: !GetAtt Eip.AllocationId }
  DefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }`
      : d.route === 'igw'
        ? `
  DefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }`
        : '';
  const endpoints = (d.endpoints ?? [])
    .map(
      (s, i) => `
  Endpoint${i}:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.${s}',
        SubnetIds: [!Ref Subnet] }`,
    )
    .join('');
  const s3 =
    d.s3OnTable === undefined
      ? ''
      : `
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      { VpcId: !Ref Vpc, ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3',
        RouteTableIds: [${d.s3OnTable ? '!Ref Table' : '!Ref OtherTable'}] }`;
  return `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  Table:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  OtherTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Subnet, RouteTableId: !Ref Table }${route}${endpoints}${s3}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: batch, VpcId: !Ref Vpc }
  Ce:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: fargate
      ComputeResources:
        Type: FARGATE
        MaxvCpus: 16
        Subnets: ${d.subnets ?? '[!Ref Subnet]'}
        SecurityGroupIds: [!GetAtt Sg.GroupId]
  Queue:
    Type: AWS::Batch::JobQueue
    Properties:
      Priority: 1
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: !Ref Ce }]
  Job:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      JobDefinitionName: fetch
      PlatformCapabilities: [FARGATE]
      ContainerProperties:
        Image: public.ecr.aws/docker/library/busybox:latest
        ExecutionRoleArn: arn:aws:iam::123456789012:role/exec
        ResourceRequirements: [{ Type: VCPU, Value: '0.25' }, { Type: MEMORY, Value: '512' }]
        ${d.publicIp ? `NetworkConfiguration: { AssignPublicIp: ${d.publicIp} }` : ''}
`;
}

let n = 0;
function check(d: Design): Finding[] {
  const file = path.join(dir, `t${++n}.yaml`);
  writeFileSync(file, template(d));
  return fargateNetworkCheck(file, loadBatchModel(file));
}

describe('BATCH-X-008 Fargate subnets without a way to pull the image', () => {
  test(
    'a private subnet with no NAT route and no endpoints: a warning naming ' +
      'the subnet, its route table and the missing endpoints',
    () => {
      const f = check({});
      expect(f.map((x) => [x.code, x.severity, x.field, x.resource.name])).toEqual([
        ['BATCH-X-008', 'warning', 'computeResources.subnets', 'fargate'],
      ]);
      expect(f[0].message).toMatch(
        new RegExp(
          String.raw`Fargate jobs here cannot pull their image on AWS \(CannotPul` +
            String.raw`lContainerError: \.\.\. i\/o timeout\): subnet Subnet \(subn` +
            String.raw`et-[0-9a-f]+\), route table Table: no 0\.0\.0\.0\/0 route to` +
            String.raw` a NAT or internet gateway, and no VPC endpoint for ecr\.api` +
            String.raw`, ecr\.dkr, s3, logs\.`,
        ),
      );
    },
  );

  test('a NAT route is enough', () => {
    expect(check({ route: 'nat' })).toEqual([]);
  });

  test('an internet gateway route needs assignPublicIp ENABLED on the Fargate job definitions', () => {
    const [f, ...rest] = check({ route: 'igw' });
    expect(rest).toEqual([]);
    expect(f.message).toMatch(
      new RegExp(
        String.raw`: the internet only through an internet gateway, which needs` +
          String.raw` a public IP on the task, and job definition\(s\) "fetch" do` +
          String.raw` not set networkConfiguration\.assignPublicIp: ENABLED\.`,
      ),
    );
    expect(check({ route: 'igw', publicIp: 'DISABLED' })).toHaveLength(1);
    expect(check({ route: 'igw', publicIp: 'ENABLED' })).toEqual([]);
  });

  test(
    'VPC endpoints for ECR, logs and an S3 gateway endpoint on the route ' + 'table are enough; one missing is named',
    () => {
      expect(check({ endpoints: ['ecr.api', 'ecr.dkr', 'logs'], s3OnTable: true })).toEqual([]);
      expect(check({ endpoints: ['ecr.api', 'ecr.dkr', 'logs'], s3OnTable: false })[0].message).toMatch(
        /no VPC endpoint for s3\./,
      );
      expect(check({ endpoints: ['ecr.api', 'logs'], s3OnTable: true })[0].message).toMatch(
        /no VPC endpoint for ecr\.dkr\./,
      );
    },
  );

  test('skipped when the subnets are not in the template', () => {
    expect(check({ subnets: '[subnet-0123456789abcdef0]' })).toEqual([]);
  });
});
