import { Size, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ContainerJobDefinition, JobContainer, JobDefinitionBase, JobImage } from '../../../lib/constructs/job';
import { JobQueueBase } from '../../../lib/constructs/queue';
import { newStack } from './_fixtures';

const QUEUE_ARN = 'arn:aws:batch:us-east-1:123456789012:job-queue/main';

function submitStatement(stack: Stack) {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const statements = Object.values(policies).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement,
  );
  return statements.find((s) => (s as { Action: unknown }).Action === 'batch:SubmitJob') as { Resource: unknown[] };
}

describe('job definition imports', () => {
  test('fromJobDefinitionArn takes the name from a revisioned ARN and keeps the ARN', () => {
    const jd = JobDefinitionBase.fromJobDefinitionArn(
      newStack(),
      'Imp',
      'arn:aws:batch:eu-west-1:111111111111:job-definition/etl:7',
    );
    expect(jd.jobDefinitionName).toBe('etl');
    expect(jd.jobDefinitionArn).toBe('arn:aws:batch:eu-west-1:111111111111:job-definition/etl:7');
    expect(jd.allRevisionsArns).toEqual([
      'arn:aws:batch:eu-west-1:111111111111:job-definition/etl',
      'arn:aws:batch:eu-west-1:111111111111:job-definition/etl:*',
    ]);
    expect(jd.revisionPrefix).toBe('arn:aws:batch:eu-west-1:111111111111:job-definition/etl:');
  });

  test('fromJobDefinitionArn rejects a string that is not a job definition ARN', () => {
    expect(() =>
      JobDefinitionBase.fromJobDefinitionArn(newStack(), 'Imp', 'arn:aws:batch:us-east-1:1:job-queue/q'),
    ).toThrow(
      /^"arn:aws:batch:us-east-1:1:job-queue\/q" is not a job definition ARN\. Fix: pass arn:<partition>:batch:/,
    );
  });

  test('fromJobDefinitionName builds a revision-less ARN in the stack environment', () => {
    const stack = newStack();
    const jd = ContainerJobDefinition.fromJobDefinitionName(stack, 'Imp', 'etl');
    expect(jd.jobDefinitionName).toBe('etl');
    expect(stack.resolve(jd.jobDefinitionArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job-definition/etl']],
    });
  });
});

describe('grantSubmitJob', () => {
  test(
    'grants SubmitJob on every revision of the definition (name and name:*) ' +
      'and on the queue, never a pinned revision',
    () => {
      const stack = newStack();
      const jd = new ContainerJobDefinition(stack, 'Job', {
        jobDefinitionName: 'etl',
        container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 1, memory: Size.gibibytes(1) }),
      });
      const user = new iam.User(stack, 'User');
      jd.grantSubmitJob(user, JobQueueBase.fromJobQueueArn(stack, 'Q', QUEUE_ARN));
      const st = submitStatement(stack);
      expect(stack.resolve(st.Resource)).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job-definition/etl']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':batch:us-east-1:123456789012:job-definition/etl:*']] },
        QUEUE_ARN,
      ]);
      expect(JSON.stringify(st.Resource)).not.toContain('"Ref":"Job');
    },
  );

  test(
    'without a name, the grant derives the name from the definition ARN ' +
      '(Fn::Split), still covering every revision',
    () => {
      const stack = newStack();
      const jd = new ContainerJobDefinition(stack, 'Job', {
        container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 1, memory: Size.gibibytes(1) }),
      });
      const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      jd.grantSubmitJob(role, JobQueueBase.fromJobQueueArn(stack, 'Q', QUEUE_ARN));
      const st = submitStatement(stack);
      const text = JSON.stringify(st.Resource);
      expect(text).toContain('"Fn::Split":["job-definition/",{"Ref":"JobB9D00F9F"}]');
      expect(text).toMatch(/":\*"\]\]\}/);
      expect(st.Resource).toHaveLength(3);
    },
  );
});
