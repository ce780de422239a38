import { App, Aspects, Size, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BatchkitAwsSolutionsAcknowledgements,
  BatchServiceRole,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  ManagedEc2ComputeEnvironment,
} from '../../../lib/constructs';
import { awsSolutionsViolations } from './aws-solutions';

/**
 * A stack with a Spot environment (instance role + Spot Fleet role) and an asset-less job definition pulling from
 * ECR.
 */
function batchStack(acknowledge: boolean): Stack {
  const stack = new Stack(new App(), 'Ack');
  if (acknowledge) BatchkitAwsSolutionsAcknowledgements.addTo(stack);
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1, flowLogs: { Logs: {} } });
  new ManagedEc2ComputeEnvironment(stack, 'Spot', {
    vpc,
    spot: true,
    serviceRole: new BatchServiceRole(stack, 'ServiceRole'),
  });
  const repo = new ecr.Repository(stack, 'Repo');
  new ContainerJobDefinition(stack, 'Job', {
    container: JobContainer.ec2({ image: JobImage.fromEcrRepository(repo), cpu: 1, memory: Size.mebibytes(512) }),
  });
  return stack;
}

const EXPECTED_WITHOUT = [
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBatchServiceRole] ' +
    'at Ack/ServiceRole/Resource',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role] ' +
    'at Ack/BatchEcsInstanceRole/Role/Resource',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2SpotFleetTaggingRole] ' +
    'at Ack/BatchSpotFleetRole/Resource',
  'AwsSolutions-IAM5[Resource::*] at Ack/BatchJobExecutionRole/DefaultPolicy/Resource',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/batch/job:*] ' +
    'at Ack/BatchJobExecutionRole/DefaultPolicy/Resource',
];

describe('BatchkitAwsSolutionsAcknowledgements', () => {
  test("without it, cdk-nag reports exactly the documented findings of batchkit's roles", () => {
    expect(awsSolutionsViolations(batchStack(false))).toEqual(EXPECTED_WITHOUT);
  });

  test('with it, each of those findings is acknowledged with a reason naming the guide section', () => {
    const stack = batchStack(true);
    expect(awsSolutionsViolations(stack)).toEqual([]);
    const reasons = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([id]) => id.includes('AwsSolutions-'))
      .map(([, reason]) => reason);
    expect(reasons).toHaveLength(5);
    expect(reasons.filter((r) => r.startsWith('AWS Batch User Guide'))).toHaveLength(3);
  });

  test('other findings on the same roles are still reported: a managed policy or a wildcard grant you add', () => {
    const stack = batchStack(true);
    const role = stack.node.findChild('BatchJobExecutionRole') as iam.Role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const instanceRole = stack.node.findChild('BatchEcsInstanceRole').node.findChild('Role') as iam.Role;
    instanceRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));
    expect(awsSolutionsViolations(stack)).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore] ' +
        'at Ack/BatchEcsInstanceRole/Role/Resource',
      'AwsSolutions-IAM5[Resource::*] at Ack/BatchJobExecutionRole/DefaultPolicy/Resource',
    ]);
  });

  test('addTo is idempotent per stack', () => {
    const stack = new Stack(new App(), 'Once');
    BatchkitAwsSolutionsAcknowledgements.addTo(stack);
    BatchkitAwsSolutionsAcknowledgements.addTo(stack);
    expect(Aspects.of(stack).all.filter((a) => a instanceof BatchkitAwsSolutionsAcknowledgements)).toHaveLength(1);
  });

  test('a stack with a concrete environment gets the region and account in the log-stream finding id', () => {
    const stack = new Stack(new App(), 'Env', { env: { account: '123456789012', region: 'eu-west-1' } });
    BatchkitAwsSolutionsAcknowledgements.addTo(stack);
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 1, memory: Size.mebibytes(512) }),
    });
    expect(awsSolutionsViolations(stack)).toEqual([]);
  });
});
