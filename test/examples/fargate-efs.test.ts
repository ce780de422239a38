import { Match } from 'aws-cdk-lib/assertions';
import { FargateEfsStack } from '../../examples/fargate-efs/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<FargateEfsStack>;
beforeAll(() => {
  ex = synthExample((app) => new FargateEfsStack(app, 'FargateEfs'));
});
afterAll(() => ex.cleanup());

describe('examples/fargate-efs', () => {
  test('the Fargate job mounts the EFS access point with transit encryption and IAM authorization', () => {
    ex.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'fargate-efs-writer',
      PlatformCapabilities: ['FARGATE'],
      ContainerProperties: Match.objectLike({
        Volumes: [
          {
            Name: 'shared',
            EfsVolumeConfiguration: Match.objectLike({
              FileSystemId: { Ref: Match.stringLikeRegexp('^Shared') },
              TransitEncryption: 'ENABLED',
              AuthorizationConfig: {
                AccessPointId: { Ref: Match.stringLikeRegexp('^SharedJobsAccessPoint') },
                Iam: 'ENABLED',
              },
            }),
          },
        ],
        MountPoints: [{ SourceVolume: 'shared', ContainerPath: '/mnt/shared', ReadOnly: false }],
      }),
    });
  });

  test('the file system is encrypted and accepts NFS from both Fargate environments only', () => {
    ex.template.hasResourceProperties('AWS::EFS::FileSystem', { Encrypted: true });
    const ingress = Object.values(ex.template.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r) => r.Properties.FromPort === 2049,
    );
    expect(ingress.map((r) => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual([
      expect.stringMatching(/^FargateFargateSpotSecurityGroup/),
      expect.stringMatching(/^FargateSecurityGroup/),
    ]);
  });

  test('the job role may mount and write the file system', () => {
    ex.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'] }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^FargateJobRole') }],
    });
  });

  itPassesTheCommonChecks(() => ex);
});
