import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BATCHKIT_NAG_RULES, BatchkitNagChecks, BatchkitNagRule, BatchLaunchTemplate } from '../../../lib/constructs';

function newStack(props: ConstructorParameters<typeof BatchkitNagChecks>[0] = {}): Stack {
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  Aspects.of(stack).add(new BatchkitNagChecks(props), { priority: AspectPriority.READONLY });
  return stack;
}

/** Messages of the given rule, from errors and warnings alike. */
function messages(stack: Stack, rule: BatchkitNagRule): string[] {
  const a = Annotations.fromStack(stack);
  const re = Match.stringLikeRegexp(`\\[${rule}\\]`);
  return [...a.findError('*', re), ...a.findWarning('*', re)].map((m) => String(m.entry.data));
}

function computeEnvironment(stack: Stack, launchTemplate?: { launchTemplateId: string }): void {
  new batch.CfnComputeEnvironment(stack, 'Ce', {
    type: 'MANAGED',
    computeResources: {
      type: 'EC2',
      maxvCpus: 16,
      subnets: ['subnet-0123456789abcdef0'],
      instanceTypes: ['m5.large'],
      launchTemplate,
    },
  });
}

function jobDefinition(stack: Stack, props: Partial<batch.CfnJobDefinitionProps>): batch.CfnJobDefinition {
  return new batch.CfnJobDefinition(stack, 'Job', { type: 'container', ...props });
}

describe('rule table', () => {
  test('every code has one entry, errors for 001-003 and warnings for 004-006', () => {
    expect(BATCHKIT_NAG_RULES.map((r) => r.code)).toEqual(Object.values(BatchkitNagRule));
    expect(BATCHKIT_NAG_RULES.map((r) => r.severity)).toEqual([
      'error',
      'error',
      'error',
      'warning',
      'warning',
      'warning',
    ]);
  });
});

describe('BATCHKIT-NAG-001 IMDSv2 on Batch launch templates', () => {
  test(
    'an aws-cdk-lib launch template without IMDSv2 used by a compute ' + 'environment is an error naming the field',
    () => {
      const stack = newStack();
      const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', {
        launchTemplateData: { metadataOptions: { httpTokens: 'optional' } },
      });
      computeEnvironment(stack, { launchTemplateId: lt.ref });
      const errors = Annotations.fromStack(stack).findError('/Nag/Lt', Match.stringLikeRegexp('BATCHKIT-NAG-001'));
      expect(errors).toHaveLength(1);
      expect(errors[0].entry.data).toMatch(
        new RegExp(
          String.raw`AWS::EC2::LaunchTemplate Lt LaunchTemplateData\.MetadataOpti` +
            String.raw`ons\.HttpTokens: allows IMDSv1.*Value: optional\..*Fix: set ` +
            String.raw`MetadataOptions`,
        ),
      );
    },
  );

  test('an unset HttpTokens is reported too, and a reference through GetAtt LaunchTemplateName counts', () => {
    const stack = newStack();
    const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', { launchTemplateData: { instanceType: 'm5.large' } });
    computeEnvironment(stack, { launchTemplateId: lt.attrLaunchTemplateId });
    expect(messages(stack, BatchkitNagRule.IMDSV2_REQUIRED)).toEqual([
      expect.stringMatching(/is not set.*Value: \(not set\)/),
    ]);
  });

  test('a launch template no compute environment uses is not checked, unless allLaunchTemplates', () => {
    const unused = newStack();
    new ec2.CfnLaunchTemplate(unused, 'Lt', { launchTemplateData: {} });
    computeEnvironment(unused);
    expect(messages(unused, BatchkitNagRule.IMDSV2_REQUIRED)).toEqual([]);

    const all = newStack({ allLaunchTemplates: true });
    new ec2.CfnLaunchTemplate(all, 'Lt', { launchTemplateData: {} });
    expect(messages(all, BatchkitNagRule.IMDSV2_REQUIRED)).toHaveLength(1);
  });

  test("batchkit's BatchLaunchTemplate passes by default", () => {
    const stack = newStack({ allLaunchTemplates: true });
    new BatchLaunchTemplate(stack, 'Lt', { blockDevices: [] });
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('BATCHKIT-NAG'))).toEqual([]);
  });

  test('acknowledging the code on the construct with a reason silences the error', () => {
    const stack = newStack();
    const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', {
      launchTemplateData: { metadataOptions: { httpTokens: 'optional' } },
    });
    computeEnvironment(stack, { launchTemplateId: lt.ref });
    Validations.of(lt).acknowledge({ id: BatchkitNagRule.IMDSV2_REQUIRED, reason: 'legacy agent needs IMDSv1' });
    expect(messages(stack, BatchkitNagRule.IMDSV2_REQUIRED)).toEqual([]);
  });
});

describe('BATCHKIT-NAG-002 encrypted EBS', () => {
  test('an unencrypted or unset EBS mapping is an error per volume; encrypted and instance-store ones pass', () => {
    const stack = newStack();
    const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', {
      launchTemplateData: {
        metadataOptions: { httpTokens: 'required' },
        blockDeviceMappings: [
          { deviceName: '/dev/xvda', ebs: { volumeSize: 30, encrypted: true } },
          { deviceName: '/dev/xvdb', ebs: { volumeSize: 100, encrypted: false } },
          { deviceName: '/dev/xvdc', ebs: { volumeSize: 100 } },
          { deviceName: '/dev/sdd', virtualName: 'ephemeral0' },
        ],
      },
    });
    computeEnvironment(stack, { launchTemplateId: lt.ref });
    const found = messages(stack, BatchkitNagRule.EBS_ENCRYPTED);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      new RegExp(
        String.raw`BlockDeviceMappings\[1\]\.Ebs\.Encrypted: volume \/dev\/xvdb` +
          String.raw` is not encrypted.*Value: false`,
      ),
    );
    expect(found[1]).toMatch(/BlockDeviceMappings\[2\]\.Ebs\.Encrypted: volume \/dev\/xvdc .*Value: \(not set\)/);
    expect(messages(stack, BatchkitNagRule.IMDSV2_REQUIRED)).toEqual([]);
  });
});

describe('BATCHKIT-NAG-003 plain-text secrets', () => {
  test('secret-looking names with values are errors; pointers, empty values and secrets are not', () => {
    const stack = newStack();
    jobDefinition(stack, {
      containerProperties: {
        image: 'busybox',
        environment: [
          { name: 'DB_PASSWORD', value: 'hunter2' },
          { name: 'GITHUB_TOKEN', value: 'ghp_x' },
          { name: 'DB_PASSWORD_ARN', value: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db' },
          { name: 'API_KEY', value: '' },
          { name: 'COLOR', value: 'red' },
        ],
        secrets: [{ name: 'REAL_SECRET', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/x' }],
      },
    });
    const found = messages(stack, BatchkitNagRule.PLAINTEXT_SECRET);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      new RegExp(
        String.raw`ContainerProperties\.Environment\[0\]: environment variable ` +
          String.raw`DB_PASSWORD looks like a secret`,
      ),
    );
    expect(found[1]).toMatch(/Environment\[1\]: environment variable GITHUB_TOKEN/);
    expect(found.join()).not.toMatch(/hunter2|ghp_x/);
  });

  test('multi-node, ECS and EKS containers are checked with their own paths', () => {
    const stack = newStack();
    jobDefinition(stack, {
      type: 'multinode',
      nodeProperties: {
        numNodes: 2,
        mainNode: 0,
        nodeRangeProperties: [
          {
            targetNodes: '0:',
            container: { image: 'x', environment: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'abc' }] },
          },
        ],
      },
    });
    const ecs = new batch.CfnJobDefinition(stack, 'Ecs', {
      type: 'container',
      ecsProperties: {
        taskProperties: [{ containers: [{ image: 'x', environment: [{ name: 'ACCESS_KEY', value: 'a' }] }] }],
      },
    });
    const eks = new batch.CfnJobDefinition(stack, 'Eks', {
      type: 'container',
      eksProperties: { podProperties: { containers: [{ image: 'x', env: [{ name: 'PASSWORD', value: 'p' }] }] } },
    });
    expect(ecs).toBeDefined();
    expect(eks).toBeDefined();
    const found = messages(stack, BatchkitNagRule.PLAINTEXT_SECRET);
    expect(found).toEqual([
      expect.stringMatching(/NodeProperties\.NodeRangeProperties\[0\]\.Container\.Environment\[0\]/),
      expect.stringMatching(/EcsProperties\.TaskProperties\[0\]\.Containers\[0\]\.Environment\[0\]/),
      expect.stringMatching(/EksProperties\.PodProperties\.Containers\[0\]\.Env\[0\]/),
    ]);
  });
});

describe('BATCHKIT-NAG-004/005 privileged and public IP warnings', () => {
  test('privileged and assignPublicIp ENABLED are acknowledgeable warnings', () => {
    const stack = newStack();
    jobDefinition(stack, {
      platformCapabilities: ['FARGATE'],
      containerProperties: { image: 'x', privileged: true, networkConfiguration: { assignPublicIp: 'ENABLED' } },
    });
    const a = Annotations.fromStack(stack);
    expect(
      a.findWarning('/Nag/Job', Match.stringLikeRegexp('\\[BATCHKIT-NAG-004\\].*ContainerProperties\\.Privileged')),
    ).toHaveLength(1);
    expect(
      a.findWarning(
        '/Nag/Job',
        Match.stringLikeRegexp('\\[BATCHKIT-NAG-005\\].*NetworkConfiguration\\.AssignPublicIp'),
      ),
    ).toHaveLength(1);
    expect(a.findError('*', Match.anyValue())).toEqual([]);
  });

  test('an acknowledgement on the stack covers every resource in it', () => {
    const stack = newStack();
    jobDefinition(stack, { containerProperties: { image: 'x', privileged: true } });
    Validations.of(stack).acknowledge({ id: BatchkitNagRule.PRIVILEGED, reason: 'Docker-in-Docker build jobs' });
    expect(messages(stack, BatchkitNagRule.PRIVILEGED)).toEqual([]);
  });

  test('EKS securityContext.privileged is reported; warnings: false reports errors only', () => {
    const stack = newStack({ warnings: false });
    jobDefinition(stack, {
      eksProperties: {
        podProperties: {
          containers: [{ image: 'x', securityContext: { privileged: true }, env: [{ name: 'TOKEN', value: 't' }] }],
        },
      },
    });
    expect(messages(stack, BatchkitNagRule.PRIVILEGED)).toEqual([]);
    expect(messages(stack, BatchkitNagRule.PLAINTEXT_SECRET)).toHaveLength(1);
    const loud = newStack();
    jobDefinition(loud, {
      eksProperties: { podProperties: { containers: [{ image: 'x', securityContext: { privileged: true } }] } },
    });
    expect(messages(loud, BatchkitNagRule.PRIVILEGED)).toEqual([
      expect.stringMatching(/Containers\[0\]\.SecurityContext\.Privileged/),
    ]);
  });
});

describe('BATCHKIT-NAG-006 wildcard resources', () => {
  test('batch:SubmitJob and iam:PassRole on * warn; Describe calls on * and scoped statements do not', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['batch:SubmitJob', 'batch:DescribeJobs'], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['batch:DescribeJobQueues', 'batch:ListJobs'], resources: ['*'] }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['batch:TerminateJob'],
        resources: ['arn:aws:batch:us-east-1:123456789012:job/*'],
      }),
    );
    const found = messages(stack, BatchkitNagRule.WILDCARD_RESOURCE);
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`AWS::IAM::Policy RoleDefaultPolicy\w+ PolicyDocument\.Statem` +
            String.raw`ent\[0\]\.Resource: allows batch:SubmitJob on every resource`,
        ),
      ),
      expect.stringMatching(/Statement\[2\]\.Resource: allows iam:PassRole/),
    ]);
  });

  test('inline role policies and wildcard actions are checked', () => {
    const stack = newStack();
    new iam.CfnRole(stack, 'Inline', {
      assumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }],
      },
      policies: [
        { policyName: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'batch:*', Resource: '*' }] } },
      ],
    });
    expect(messages(stack, BatchkitNagRule.WILDCARD_RESOURCE)).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`AWS::IAM::Role Inline Policies\[0\]\.PolicyDocument\.Stateme` +
            String.raw`nt\[0\]\.Resource: allows batch:\*`,
        ),
      ),
    ]);
  });
});
