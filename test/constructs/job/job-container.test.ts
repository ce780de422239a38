import { Size } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { JobContainer, JobImage, JobLogging } from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

describe('JobContainer', () => {
  const image = JobImage.fromRegistry('busybox');

  test('ec2() needs the EC2 platform and keeps no Fargate options', () => {
    const c = JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), privileged: true });
    expect(c.platform).toBe('EC2');
    expect(c.fargateOptions).toBeUndefined();
    expect(c.options.privileged).toBe(true);
  });

  test('fargate() needs the FARGATE platform and keeps its Fargate options', () => {
    const c = JobContainer.fargate({ image, cpu: 0.5, memory: Size.gibibytes(1), assignPublicIp: true });
    expect(c.platform).toBe('FARGATE');
    expect(c.fargateOptions?.assignPublicIp).toBe(true);
  });

  test('JobLogging.awsLogs and custom keep driver, group, prefix and options', () => {
    const group = logs.LogGroup.fromLogGroupName(newStack(), 'G', '/x');
    const aws = JobLogging.awsLogs({ logGroup: group, streamPrefix: 'p' });
    expect([aws.logDriver, aws.logGroup, aws.streamPrefix]).toEqual(['awslogs', group, 'p']);
    const custom = JobLogging.custom('syslog', { tag: 'job' });
    expect([custom.logDriver, custom.options]).toEqual(['syslog', { tag: 'job' }]);
  });
});
