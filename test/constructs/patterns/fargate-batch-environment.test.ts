import { Size } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FargateBatchEnvironment, JobImage } from '../../../lib/constructs';
import { awsSolutionsViolations, batchkitNagErrors } from '../nag/aws-solutions';
import { newStack } from './_stack';

describe('FargateBatchEnvironment', () => {
  const stack = newStack();
  const env = new FargateBatchEnvironment(stack, 'Env');
  const job = env.addJobDefinition('Job', {
    image: JobImage.fromRegistry('busybox'),
    cpu: 0.25,
    memory: Size.mebibytes(512),
  });
  const t = Template.fromStack(stack);

  test('a Fargate and a Fargate Spot environment of 256 vCPUs each, in private subnets', () => {
    for (const type of ['FARGATE', 'FARGATE_SPOT']) {
      t.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
        Type: 'MANAGED',
        ComputeResources: Match.objectLike({
          Type: type,
          MaxvCpus: 256,
          Subnets: [
            { Ref: Match.stringLikeRegexp('^EnvVpcPrivateSubnet1') },
            { Ref: Match.stringLikeRegexp('^EnvVpcPrivateSubnet2') },
          ],
        }),
      });
    }
    expect(env.fargate.spot).toBe(false);
    expect(env.fargateSpot.spot).toBe(true);
  });

  test('high-priority queue: Fargate then Fargate Spot; low-priority queue: the reverse', () => {
    const arn = (id: string) => ({
      'Fn::GetAtt': [Match.stringLikeRegexp(`^Env${id}[0-9A-F]{8}$`), 'ComputeEnvironmentArn'],
    });
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 100,
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: arn('Fargate'), Order: 1 },
        { ComputeEnvironment: arn('FargateSpot'), Order: 2 },
      ],
    });
    t.hasResourceProperties('AWS::Batch::JobQueue', {
      Priority: 10,
      ComputeEnvironmentOrder: [
        { ComputeEnvironment: arn('FargateSpot'), Order: 1 },
        { ComputeEnvironment: arn('Fargate'), Order: 2 },
      ],
    });
  });

  test('addJobDefinition makes a FARGATE job definition with the execution and job roles, no public IP', () => {
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: Match.objectLike({
        ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchJobExecutionRole'), 'Arn'] },
        JobRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnvJobRole'), 'Arn'] },
        NetworkConfiguration: { AssignPublicIp: 'DISABLED' },
      }),
    });
    expect(job.platform).toBe('FARGATE');
  });

  test('cdk-nag AwsSolutions and batchkit nag find nothing unacknowledged', () => {
    expect(awsSolutionsViolations(stack, 'error')).toEqual([]);
    expect(awsSolutionsViolations(stack, 'warning')).toEqual([]);
    expect(batchkitNagErrors(stack)).toEqual([]);
  });
});

describe('FargateBatchEnvironment options', () => {
  test('assignPublicIp is allowed but batchkit nag warns with BATCHKIT-NAG-005', () => {
    const stack = newStack();
    const env = new FargateBatchEnvironment(stack, 'Env', { maxvCpus: 16 });
    env.addJobDefinition('Public', {
      image: JobImage.fromRegistry('busybox'),
      cpu: 1,
      memory: Size.gibibytes(2),
      assignPublicIp: true,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::ComputeEnvironment', { ComputeResources: Match.objectLike({ MaxvCpus: 16 }) });
    const warnings = Annotations.fromStack(stack).findWarning(
      '/Pattern/Env/Public/Resource',
      Match.stringLikeRegexp('BATCHKIT-NAG-005'),
    );
    expect(warnings).toHaveLength(1);
  });

  test('equal priorities are rejected', () => {
    expect(() => new FargateBatchEnvironment(newStack(), 'Env', { highPriority: 1, lowPriority: 2 })).toThrow(
      /BATCHKIT-CDK-015/,
    );
  });
});
