import { App, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BatchLaunchTemplate } from '../../../lib/constructs/compute/batch-launch-template';
import { parseMultipart } from '../../../lib/core/user-data/mime';

const LT = 'AWS::EC2::LaunchTemplate';

function userDataOf(stack: Stack): string {
  const lts = Template.fromStack(stack).findResources(LT);
  const [only] = Object.values(lts);
  return only.Properties.LaunchTemplateData.UserData['Fn::Base64'] as string;
}

describe('BatchLaunchTemplate', () => {
  test('defaults: IMDSv2 required, hop limit 2, no user data, no block devices', () => {
    const stack = new Stack(new App(), 'S');
    new BatchLaunchTemplate(stack, 'Lt');
    Template.fromStack(stack).hasResourceProperties(LT, {
      LaunchTemplateName: Match.absent(),
      LaunchTemplateData: {
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        UserData: Match.absent(),
        BlockDeviceMappings: Match.absent(),
      },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a plain script is wrapped as a text/x-shellscript part of a multipart/mixed document', () => {
    const stack = new Stack(new App(), 'S');
    new BatchLaunchTemplate(stack, 'Lt', {
      userData: '#!/bin/bash\necho ECS_IMAGE_CLEANUP_INTERVAL=60m >> /etc/ecs/ecs.config',
    });
    const parsed = parseMultipart(userDataOf(stack));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.document.parts).toEqual([
      {
        contentType: 'text/x-shellscript',
        content: '#!/bin/bash\necho ECS_IMAGE_CLEANUP_INTERVAL=60m >> /etc/ecs/ecs.config',
        headers: {},
      },
    ]);
  });

  test('a multipart document contributes its parts; added parts follow in order', () => {
    const stack = new Stack(new App(), 'S');
    const doc = [
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="==MYBOUNDARY=="',
      '',
      '--==MYBOUNDARY==',
      'Content-Type: text/cloud-config; charset="us-ascii"',
      '',
      'packages:',
      '- amazon-efs-utils',
      '',
      '--==MYBOUNDARY==--',
      '',
    ].join('\n');
    const lt = new BatchLaunchTemplate(stack, 'Lt', { userData: doc });
    lt.addShellScript('mkdir -p /mnt/efs');
    lt.addCloudBoothook('#cloud-boothook\necho boot');
    lt.addCloudConfig('runcmd:\n- echo hi');
    const parsed = parseMultipart(userDataOf(stack));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.document.parts.map((p) => [p.contentType, p.content])).toEqual([
      ['text/cloud-config', 'packages:\n- amazon-efs-utils'],
      ['text/x-shellscript', '#!/bin/bash\nmkdir -p /mnt/efs'],
      ['text/cloud-boothook', '#cloud-boothook\necho boot'],
      ['text/cloud-config', 'runcmd:\n- echo hi'],
    ]);
  });

  test('a cloud-config handed in as text becomes a text/cloud-config part', () => {
    const stack = new Stack(new App(), 'S');
    const lt = new BatchLaunchTemplate(stack, 'Lt', { userData: '#cloud-config\nruncmd:\n- echo hi' });
    expect(lt.userDataText).toContain('Content-Type: text/cloud-config');
  });

  test('a malformed multipart document is rejected at synth with the reason', () => {
    const stack = new Stack(new App(), 'S');
    const broken =
      'MIME-Version: 1.0\nContent-Type: multipart/mixed; ' +
      'boundary="B"\n\n--B\nContent-Type: text/x-shellscript\n\necho unterminated\n';
    expect(() => new BatchLaunchTemplate(stack, 'Lt', { userData: broken })).toThrow(
      /^S\/Lt: \[BATCHKIT-CDK-009\] userData is not valid MIME multipart: .*no closing boundary line "--B--"/,
    );
  });

  test('a part containing the boundary is rejected', () => {
    const stack = new Stack(new App(), 'S');
    const lt = new BatchLaunchTemplate(stack, 'Lt');
    expect(() => lt.addShellScript('echo --==BATCHKIT_BOUNDARY==')).toThrow(/BATCHKIT-CDK-009.*boundary/);
    expect(lt.userDataText).toBeUndefined();
  });

  test('a part without content type is rejected with the guessed type in the fix', () => {
    const stack = new Stack(new App(), 'S');
    const lt = new BatchLaunchTemplate(stack, 'Lt');
    expect(() => lt.addPart({ contentType: '', content: '#cloud-config\n{}' })).toThrow(
      /BATCHKIT-CDK-010.*text\/cloud-config/,
    );
  });

  test('block devices are encrypted gp3 by default; KMS key, iops, throughput, name', () => {
    const stack = new Stack(new App(), 'S');
    const key = new kms.Key(stack, 'Key');
    new BatchLaunchTemplate(stack, 'Lt', {
      launchTemplateName: 'batch-lt',
      blockDevices: [
        { deviceName: '/dev/xvda', volumeSize: Size.gibibytes(100) },
        {
          deviceName: '/dev/xvdb',
          volumeSize: Size.gibibytes(500),
          kmsKey: key,
          iops: 4000,
          throughput: 250,
          volumeType: ec2.EbsDeviceVolumeType.GP3,
          deleteOnTermination: false,
        },
      ],
    });
    Template.fromStack(stack).hasResourceProperties(LT, {
      LaunchTemplateName: 'batch-lt',
      LaunchTemplateData: {
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: { VolumeSize: 100, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
          },
          {
            DeviceName: '/dev/xvdb',
            Ebs: {
              VolumeSize: 500,
              Encrypted: true,
              KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
              Iops: 4000,
              Throughput: 250,
              DeleteOnTermination: false,
            },
          },
        ],
      },
    });
  });

  test('unencrypted volumes and IMDSv1 are allowed with warnings', () => {
    const stack = new Stack(new App(), 'S');
    new BatchLaunchTemplate(stack, 'Lt', {
      requireImdsv2: false,
      blockDevices: [{ deviceName: '/dev/xvda', volumeSize: Size.gibibytes(30), encrypted: false }],
    });
    Template.fromStack(stack).hasResourceProperties(LT, {
      LaunchTemplateData: {
        MetadataOptions: { HttpTokens: 'optional' },
        BlockDeviceMappings: [{ Ebs: { Encrypted: false } }],
      },
    });
    const a = Annotations.fromStack(stack);
    a.hasWarning('/S/Lt', Match.stringLikeRegexp('BATCHKIT-CDK-W04.*/dev/xvda'));
    a.hasWarning('/S/Lt', Match.stringLikeRegexp('BATCHKIT-CDK-W05'));
  });

  test.each<[string, object, RegExp]>([
    [
      'fractional GiB',
      { blockDevices: [{ deviceName: '/dev/xvda', volumeSize: Size.mebibytes(1536) }] },
      /BATCHKIT-CDK-012.*1.5 GiB/,
    ],
    [
      'kms key with encrypted false',
      { blockDevices: [{ deviceName: '/dev/xvda', volumeSize: Size.gibibytes(8), encrypted: false, kmsKey: 'k' }] },
      /BATCHKIT-CDK-013/,
    ],
    ['hop limit 0', { httpPutResponseHopLimit: 0 }, /BATCHKIT-CDK-011.*Got: 0.*1-64/],
  ])('rejects %s', (_n, props, error) => {
    const stack = new Stack(new App(), 'S');
    const p = props as { blockDevices?: Array<{ kmsKey?: unknown }> };
    if (p.blockDevices?.[0]?.kmsKey) p.blockDevices[0].kmsKey = new kms.Key(stack, 'K');
    expect(() => new BatchLaunchTemplate(stack, 'Lt', props)).toThrow(error);
  });

  test('contentHash follows the resolved template data', () => {
    const hashOf = (f: (lt: BatchLaunchTemplate) => void, props = {}) => {
      const stack = new Stack(new App(), 'S');
      const lt = new BatchLaunchTemplate(stack, 'Lt', props);
      f(lt);
      return lt.contentHash;
    };
    const base = hashOf((lt) => lt.addShellScript('echo a'));
    expect(hashOf((lt) => lt.addShellScript('echo a'))).toBe(base);
    expect(hashOf((lt) => lt.addShellScript('echo b'))).not.toBe(base);
    expect(hashOf((lt) => lt.addShellScript('echo a'), { httpPutResponseHopLimit: 1 })).not.toBe(base);
    expect(
      hashOf((lt) => lt.addShellScript('echo a'), {
        blockDevices: [{ deviceName: '/dev/xvda', volumeSize: Size.gibibytes(50) }],
      }),
    ).not.toBe(base);
  });
});
