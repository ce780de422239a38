import { App, CfnParameter, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BatchLaunchTemplate } from '../../../lib/constructs/compute/batch-launch-template';
import { AllocationStrategy, EcsImageType } from '../../../lib/constructs/compute/compute-options';
import { BatchInstanceType } from '../../../lib/constructs/compute/instance-type';
import {
  ManagedEc2ComputeEnvironment,
  type ManagedEc2ComputeEnvironmentProps,
} from '../../../lib/constructs/compute/managed-ec2-compute-environment';
import { BatchServiceRole } from '../../../lib/constructs/iam/batch-service-role';
import { EcsInstanceRole } from '../../../lib/constructs/iam/ecs-instance-role';

const CE = 'AWS::Batch::ComputeEnvironment';

function setup(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(new App(), 'S');
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) };
}

function make(extra: Partial<ManagedEc2ComputeEnvironmentProps> = {}) {
  const { stack, vpc } = setup();
  const ce = new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, ...extra });
  return { stack, vpc, ce, template: Template.fromStack(stack) };
}

describe('ManagedEc2ComputeEnvironment rendering', () => {
  test('defaults: EC2, BEST_FIT_PROGRESSIVE, optimal, AL2023, 0..256 vCPUs, private subnets, SLR, no tags', () => {
    const { template } = make();
    template.hasResourceProperties(CE, {
      Type: 'MANAGED',
      State: 'ENABLED',
      ServiceRole: Match.absent(),
      ReplaceComputeEnvironment: false,
      UpdatePolicy: Match.absent(),
      ComputeEnvironmentName: Match.absent(),
      ComputeResources: {
        Type: 'EC2',
        AllocationStrategy: 'BEST_FIT_PROGRESSIVE',
        InstanceTypes: ['optimal'],
        Ec2Configuration: [{ ImageType: 'ECS_AL2023' }],
        MinvCpus: 0,
        MaxvCpus: 256,
        DesiredvCpus: Match.absent(),
        Subnets: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }, { Ref: 'VpcPrivateSubnet2Subnet3788AAA1' }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CeSecurityGroup'), 'GroupId'] }],
        InstanceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchEcsInstanceRoleInstanceProfile'), 'Arn'] },
        SpotIamFleetRole: Match.absent(),
        Tags: Match.absent(),
        LaunchTemplate: Match.absent(),
      },
    });
    template.resourceCountIs('AWS::IAM::InstanceProfile', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
          ],
        },
      ],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test(
    'spot: SPOT type, SPOT_PRICE_CAPACITY_OPTIMIZED, shared Spot Fleet role ' +
      'with the tagging policy, bid percentage',
    () => {
      const { template } = make({ spot: true, spotBidPercentage: 60 });
      template.hasResourceProperties(CE, {
        ComputeResources: {
          Type: 'SPOT',
          AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
          BidPercentage: 60,
          SpotIamFleetRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BatchSpotFleetRole'), 'Arn'] },
        },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'spotfleet.amazonaws.com' } }] },
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEC2SpotFleetTaggingRole'],
            ],
          },
        ],
      });
    },
  );

  test('two Spot environments share one Spot Fleet role and one instance profile', () => {
    const { stack, vpc } = setup();
    new ManagedEc2ComputeEnvironment(stack, 'A', { vpc, spot: true });
    new ManagedEc2ComputeEnvironment(stack, 'B', { vpc, spot: true });
    const t = Template.fromStack(stack);
    t.resourceCountIs(CE, 2);
    t.resourceCountIs('AWS::IAM::InstanceProfile', 1);
    expect(Object.keys(t.findResources('AWS::IAM::Role'))).toHaveLength(2);
  });

  test('every sizing, network and update prop reaches the template', () => {
    const { stack, vpc } = setup();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const pg = new ec2.PlacementGroup(stack, 'Pg', { strategy: ec2.PlacementGroupStrategy.CLUSTER });
    const kp = ec2.KeyPair.fromKeyPairName(stack, 'Kp', 'my-key');
    new ManagedEc2ComputeEnvironment(stack, 'Ce', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [sg],
      instanceTypes: [
        BatchInstanceType.of(ec2.InstanceClass.C6I, ec2.InstanceSize.XLARGE2),
        BatchInstanceType.family(ec2.InstanceClass.M6I),
      ],
      allocationStrategy: AllocationStrategy.BEST_FIT,
      minvCpus: 4,
      desiredvCpus: 8,
      maxvCpus: 64,
      placementGroup: pg,
      keyPair: kp,
      updateTimeout: Duration.minutes(45),
      terminateOnUpdate: true,
      updateToLatestImageVersion: true,
      enabled: false,
      instanceTags: { Name: 'batch-worker' },
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    t.hasResourceProperties(CE, {
      State: 'DISABLED',
      UpdatePolicy: { JobExecutionTimeoutMinutes: 45, TerminateJobsOnUpdate: true },
      ComputeResources: {
        InstanceTypes: ['c6i.2xlarge', 'm6i'],
        AllocationStrategy: 'BEST_FIT',
        MinvCpus: 4,
        DesiredvCpus: 8,
        MaxvCpus: 64,
        PlacementGroup: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pg'), 'GroupName'] },
        Ec2KeyPair: 'my-key',
        UpdateToLatestImageVersion: true,
        Tags: { Name: 'batch-worker' },
        Subnets: [{ Ref: 'VpcPublicSubnet1Subnet5C2D37C4' }, { Ref: 'VpcPublicSubnet2Subnet691E08A3' }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }],
      },
    });
  });

  test('GPU families get the NVIDIA AL2023 image next to the plain one', () => {
    const { template } = make({ instanceTypes: [BatchInstanceType.custom('g5'), BatchInstanceType.custom('c6i')] });
    template.hasResourceProperties(CE, {
      ComputeResources: { Ec2Configuration: [{ ImageType: 'ECS_AL2023' }, { ImageType: 'ECS_AL2023_NVIDIA' }] },
    });
  });

  test('explicit images, with an AMI override', () => {
    const image = ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' });
    const s2 = new Stack(new App(), 'S2', { env: { region: 'us-east-1', account: '111111111111' } });
    new ManagedEc2ComputeEnvironment(s2, 'Ce', {
      vpc: new ec2.Vpc(s2, 'Vpc'),
      images: [{ imageType: EcsImageType.ECS_AL2, image }],
    });
    Template.fromStack(s2).hasResourceProperties(CE, {
      ComputeResources: { Ec2Configuration: [{ ImageType: 'ECS_AL2', ImageIdOverride: 'ami-12345678' }] },
    });
  });

  test('a custom service role renders ServiceRole and defaults ReplaceComputeEnvironment to true', () => {
    const { stack, vpc } = setup();
    const role = new BatchServiceRole(stack, 'Svc');
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, serviceRole: role });
    Template.fromStack(stack).hasResourceProperties(CE, {
      ServiceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Svc'), 'Arn'] },
      ReplaceComputeEnvironment: true,
    });
  });

  test('instanceRole: one profile for the role, reused by a second environment and by EcsInstanceRole', () => {
    const { stack, vpc } = setup();
    const role = new iam.Role(stack, 'MyRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const a = new ManagedEc2ComputeEnvironment(stack, 'A', { vpc, instanceRole: role });
    const b = new ManagedEc2ComputeEnvironment(stack, 'B', { vpc, instanceRole: role });
    expect(b.instanceProfile).toBe(a.instanceProfile);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::InstanceProfile', 1);
    t.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: [{ Ref: Match.stringLikeRegexp('^MyRole') }] });
    t.resourcePropertiesCountIs(
      CE,
      { ComputeResources: { InstanceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AInstanceProfile'), 'Arn'] } } },
      2,
    );
  });

  test('instanceProfile: an existing profile is used as is and no role or profile is created', () => {
    const { stack, vpc } = setup();
    const profile = iam.InstanceProfile.fromInstanceProfileName(stack, 'P', 'ecsInstanceRole');
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceProfile: profile });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::InstanceProfile', 0);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties(CE, {
      ComputeResources: {
        InstanceRole: { 'Fn::Join': ['', Match.arrayWith([':instance-profile/ecsInstanceRole'])] },
      },
    });
  });

  test('an EcsInstanceRole profile passed in is not duplicated', () => {
    const { stack, vpc } = setup();
    const ir = new EcsInstanceRole(stack, 'Ir');
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceRole: ir.role });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::InstanceProfile', 1);
  });

  test('addInstanceType appends after construction', () => {
    const { stack, vpc } = setup();
    const ce = new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceTypes: [BatchInstanceType.custom('m7g')] });
    ce.addInstanceType(BatchInstanceType.custom('c7g.large'));
    expect(ce.architecture).toBe('arm64');
    Template.fromStack(stack).hasResourceProperties(CE, { ComputeResources: { InstanceTypes: ['m7g', 'c7g.large'] } });
  });

  test('stack-wide tags stay out of computeResources.tags by default', () => {
    const { stack, vpc } = setup();
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceTags: { Name: 'w' } });
    Tags.of(stack).add('CostCenter', '42');
    Template.fromStack(stack).hasResourceProperties(CE, { ComputeResources: { Tags: { Name: 'w' } } });
  });

  test('propagateTags: Tags.of() reaches computeResources.tags, merged with instanceTags', () => {
    const { stack, vpc } = setup();
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceTags: { Name: 'w' }, propagateTags: true });
    Tags.of(stack).add('CostCenter', '42');
    Template.fromStack(stack).hasResourceProperties(CE, {
      ComputeResources: { Tags: { Name: 'w', CostCenter: '42' } },
    });
  });

  test('model mirrors the API shape and platform/architecture are exposed', () => {
    const { ce } = make({ spot: true, maxvCpus: 32, instanceTypes: [BatchInstanceType.custom('c6g')] });
    expect(ce.platform).toBe('EC2');
    expect(ce.architecture).toBe('arm64');
    expect(ce.model.type).toBe('MANAGED');
    expect(ce.model.computeResources).toMatchObject({
      type: 'SPOT',
      maxvCpus: 32,
      minvCpus: 0,
      instanceTypes: ['c6g'],
    });
  });

  test('fromComputeEnvironmentArn parses the name', () => {
    const { stack } = setup();
    const imported = ManagedEc2ComputeEnvironment.fromComputeEnvironmentArn(
      stack,
      'Imp',
      'arn:aws:batch:us-east-1:111111111111:compute-environment/prod-ce',
      'arm64',
    );
    expect(imported.computeEnvironmentName).toBe('prod-ce');
    expect(imported.platform).toBe('EC2');
    expect(imported.architecture).toBe('arm64');
    expect(() =>
      ManagedEc2ComputeEnvironment.fromComputeEnvironmentArn(
        stack,
        'Bad',
        'arn:aws:batch:us-east-1:111111111111:compute-environment',
      ),
    ).toThrow(/BATCHKIT-CDK-001/);
  });
});

describe('ManagedEc2ComputeEnvironment launch templates', () => {
  test('a BatchLaunchTemplate is pinned to its latest version and the name carries its content hash', () => {
    const { stack, vpc } = setup();
    const lt = new BatchLaunchTemplate(stack, 'Lt', { userData: 'echo one' });
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, launchTemplate: lt, computeEnvironmentName: 'jobs' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties(CE, {
      ComputeEnvironmentName: `jobs-${lt.contentHash}`,
      ComputeResources: {
        LaunchTemplate: {
          LaunchTemplateId: { Ref: Match.stringLikeRegexp('^Lt') },
          Version: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Lt'), 'LatestVersionNumber'] },
        },
      },
    });
    expect(lt.contentHash).toMatch(/^[0-9a-f]{8}$/);
  });

  function nameFor(script: string, addLater?: string): string {
    const { stack, vpc } = setup();
    const lt = new BatchLaunchTemplate(stack, 'Lt', { userData: script });
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, launchTemplate: lt });
    if (addLater) lt.addShellScript(addLater);
    const ces = Template.fromStack(stack).findResources(CE);
    const logicalIds = Object.keys(ces);
    expect(logicalIds).toEqual([expect.stringMatching(/^Ce[0-9A-F]{8}$/)]);
    return ces[logicalIds[0]].Properties.ComputeEnvironmentName as string;
  }

  test('changing the template content changes the name (replacement), same content keeps it; logical id stays', () => {
    const a = nameFor('echo one');
    const b = nameFor('echo one');
    const c = nameFor('echo two');
    const d = nameFor('echo one', 'echo added after the environment');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).not.toBe(d);
    expect(a).toMatch(/^S-Ce-[0-9A-F]{8}-[0-9a-f]{8}$/);
  });

  test('a plain ec2.LaunchTemplate: version pinned, warning that changes never reach instances', () => {
    const { stack, vpc } = setup();
    const lt = new ec2.LaunchTemplate(stack, 'Lt', {
      userData: ec2.UserData.custom(
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; ' +
          'boundary="b"\n\n--b\nContent-Type: text/x-shellscript\n\necho\n--b--\n',
      ),
    });
    const ce = new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, launchTemplate: lt });
    Template.fromStack(stack).hasResourceProperties(CE, {
      ComputeResources: {
        LaunchTemplate: { Version: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Lt'), 'LatestVersionNumber'] } },
      },
    });
    Annotations.fromStack(stack).hasWarning(`/${ce.node.path}`, Match.stringLikeRegexp('BATCHKIT-CDK-W03'));
  });

  test('a plain ec2.LaunchTemplate whose user data is a bare script fails synthesis (aws/aws-cdk#6427)', () => {
    const { stack, vpc } = setup();
    const ud = ec2.UserData.forLinux();
    ud.addCommands('echo hi');
    const lt = new ec2.LaunchTemplate(stack, 'Lt', { userData: ud });
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, launchTemplate: lt });
    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(
        String.raw`\[BATCH-LT-004\] LaunchTemplate .*Launch Template UserData i` +
          String.raw`s not MIME multipart format`,
      ),
    );
  });
});

describe('ManagedEc2ComputeEnvironment validation', () => {
  test.each<[string, Partial<ManagedEc2ComputeEnvironmentProps>, RegExp]>([
    ['min > max', { minvCpus: 10, maxvCpus: 4 }, /\[BATCH-CE-008\].*minvCpus \(10\) is larger than maxvCpus \(4\)/],
    ['desired > max', { desiredvCpus: 300 }, /\[BATCH-CE-008\].*desiredvCpus \(300\) is larger than maxvCpus \(256\)/],
    [
      'min > desired',
      { minvCpus: 8, desiredvCpus: 2 },
      /\[BATCH-CE-008\].*minvCpus \(8\) is larger than desiredvCpus \(2\)/,
    ],
    ['negative min', { minvCpus: -1 }, /\[BATCH-CE-008\].*computeResources\.minvCpus.*Got: -1/],
    ['fractional max', { maxvCpus: 2.5 }, /\[BATCH-CE-008\].*computeResources\.maxvCpus.*Got: 2.5/],
    [
      'bad name',
      { computeEnvironmentName: 'my ce!' },
      new RegExp(
        String.raw`\[BATCH-CE-001\].*Got: "my ce!".*letters, digits, hyphens \(` + String.raw`-\) and underscores`,
      ),
    ],
    [
      'bid without spot',
      { spotBidPercentage: 50 },
      new RegExp(
        String.raw`\[BATCH-CE-011\].*bidPercentage applies only to SPOT compute` +
          String.raw` resources, but the type is EC2`,
      ),
    ],
    [
      'spot strategy without spot',
      { allocationStrategy: AllocationStrategy.SPOT_CAPACITY_OPTIMIZED },
      /\[BATCH-CE-009\].*SPOT_CAPACITY_OPTIMIZED is only for SPOT/,
    ],
    ['bid > 100', { spot: true, spotBidPercentage: 120 }, /\[BATCH-CE-011\].*Got: 120.*0-100/],
    [
      'update timeout > 360 min',
      { updateTimeout: Duration.hours(7) },
      new RegExp(
        String.raw`\[BATCH-CE-021\].*updatePolicy\.jobExecutionTimeoutMinutes.*` + String.raw`Got: 420.*1-360`,
      ),
    ],
    ['update timeout in seconds', { updateTimeout: Duration.seconds(90) }, /\[BATCH-CE-021\].*Got: 1\.5/],
    [
      'x86/ARM mix',
      { instanceTypes: [BatchInstanceType.custom('c5'), BatchInstanceType.custom('c7g')] },
      /\[BATCH-CE-014\]/,
    ],
    [
      'optimal with ARM',
      { instanceTypes: [BatchInstanceType.OPTIMAL, BatchInstanceType.custom('m7g.large')] },
      /\[BATCH-CE-014\]/,
    ],
    ['A1 with AL2023', { instanceTypes: [BatchInstanceType.custom('a1.large')] }, /\[BATCH-CE-018\].*a1/],
  ])('%s', (_name, props, error) => {
    expect(() => make(props)).toThrow(error);
  });

  test('the error names the construct path', () => {
    expect(() => make({ minvCpus: 5, maxvCpus: 1 })).toThrow(/^S\/Ce: \[BATCH-CE-008\]/);
  });

  test('A1 is allowed with the AL2 image', () => {
    const { template } = make({
      instanceTypes: [BatchInstanceType.custom('a1')],
      images: [{ imageType: EcsImageType.ECS_AL2 }],
    });
    template.hasResourceProperties(CE, { ComputeResources: { InstanceTypes: ['a1'] } });
  });

  test('instanceRole and instanceProfile together are rejected', () => {
    const { stack, vpc } = setup();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const instanceProfile = new iam.InstanceProfile(stack, 'P', { role });
    expect(() => new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceRole: role, instanceProfile })).toThrow(
      /BATCHKIT-CDK-004/,
    );
  });

  test('a Spot Fleet role without spot is rejected (the model has no place for it)', () => {
    const { stack, vpc } = setup();
    const spotFleetRole = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('spotfleet.amazonaws.com') });
    expect(() => new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, spotFleetRole })).toThrow(
      /^S\/Ce: \[BATCHKIT-CDK-005\] spotFleetRole applies only to Spot environments/,
    );
  });

  test('more than 5 security groups are rejected', () => {
    const { stack, vpc } = setup();
    const securityGroups = [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(stack, `Sg${i}`, { vpc }));
    expect(() => new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, securityGroups })).toThrow(
      /^S\/Ce: \[BATCH-CE-020\].*computeResources\.securityGroupIds.*Got: 6/,
    );
  });

  test('addInstanceType rejects an architecture mix and leaves the list unchanged', () => {
    const { stack, vpc } = setup();
    const ce = new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, instanceTypes: [BatchInstanceType.custom('c6i')] });
    expect(() => ce.addInstanceType(BatchInstanceType.custom('c6g'))).toThrow(/^S\/Ce: \[BATCH-CE-014\]/);
    expect(ce.model.computeResources?.instanceTypes).toEqual(['c6i']);
  });

  test('a name too long to carry the launch template hash is rejected', () => {
    const { stack, vpc } = setup();
    const lt = new BatchLaunchTemplate(stack, 'Lt');
    expect(
      () =>
        new ManagedEc2ComputeEnvironment(stack, 'Ce', {
          vpc,
          launchTemplate: lt,
          computeEnvironmentName: 'x'.repeat(120),
        }),
    ).toThrow(/^S\/Ce: \[BATCH-CE-001\].*Got: "x{120}-[0-9a-f]{8}"/);
  });

  test('tokens are not validated', () => {
    const { stack, vpc } = setup();
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    new ManagedEc2ComputeEnvironment(stack, 'Ce', { vpc, minvCpus: 4, maxvCpus: max });
    Template.fromStack(stack).hasResourceProperties(CE, { ComputeResources: { MaxvCpus: { Ref: 'Max' } } });
  });
});

describe('ManagedEc2ComputeEnvironment warnings', () => {
  test('GPU types with explicit non-NVIDIA images', () => {
    const { stack, ce } = make({
      instanceTypes: [BatchInstanceType.custom('p4d.24xlarge')],
      images: [{ imageType: EcsImageType.ECS_AL2023 }],
    });
    Annotations.fromStack(stack).hasWarning(`/${ce.node.path}`, Match.stringLikeRegexp('BATCH-CE-017.*p4d.24xlarge'));
  });

  test('custom service role with in-place updates', () => {
    const { stack, vpc } = setup();
    const ce = new ManagedEc2ComputeEnvironment(stack, 'Ce', {
      vpc,
      serviceRole: new BatchServiceRole(stack, 'Svc'),
      replaceComputeEnvironment: false,
    });
    Annotations.fromStack(stack).hasWarning(`/${ce.node.path}`, Match.stringLikeRegexp('BATCHKIT-CDK-W01'));
  });

  test('fixed name without a BatchLaunchTemplate', () => {
    const { stack, ce } = make({ computeEnvironmentName: 'fixed' });
    Annotations.fromStack(stack).hasWarning(`/${ce.node.path}`, Match.stringLikeRegexp('BATCHKIT-CDK-W02.*"fixed"'));
    Template.fromStack(stack).hasResourceProperties(CE, { ComputeEnvironmentName: 'fixed' });
    expect(ce.computeEnvironmentName).toBe('fixed');
  });

  test('no warning in the default case', () => {
    const { stack } = make();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});
