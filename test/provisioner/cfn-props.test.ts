/** CloudFormation properties of EC2 resources are read with their types checked, before any EC2 call. */
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { applyNetwork } from '../../lib/provisioner/apply/network-steps';
import type { ApplyContext } from '../../lib/provisioner/apply/context';
import { createClients } from '../../lib/provisioner/clients/factory';
import { launchTemplateData } from '../../lib/provisioner/clients/ec2-map';
import { objList, optStr, str, tagList, type PropsOwner } from '../../lib/provisioner/plan/cfn-props';
import type { DesiredNetwork } from '../../lib/provisioner/plan/desired';

const owner: PropsOwner = { stack: 'Net', logicalId: 'PrivateSubnet', cfnType: 'AWS::EC2::Subnet' };

describe('readers', () => {
  test('a string property is returned; a missing optional one is undefined', () => {
    expect(str({ CidrBlock: '10.0.1.0/24' }, 'CidrBlock', owner)).toBe('10.0.1.0/24');
    expect(optStr({}, 'AvailabilityZone', owner)).toBeUndefined();
  });

  test(
    'a property of the wrong type is BATCHKIT-PROVISION-009 naming the ' +
      'stack, resource, property, value and expected type',
    () => {
      expect(() => str({ CidrBlock: 24 }, 'CidrBlock', owner)).toThrow(
        expect.objectContaining({
          code: 'BATCHKIT-PROVISION-009',
          kind: 'input',
          message:
            'AWS::EC2::Subnet "PrivateSubnet" in stack Net: property CidrBlock is ' +
            '24; batchkit needs a string to create or update it through the SDK. ' +
            'Fix: Give CidrBlock as a string in the app (a literal, a parameter, or ' +
            'a Ref/Fn::GetAtt batchkit resolves), then synthesize again.',
        }),
      );
      expect(() => str({}, 'VpcId', owner)).toThrow(
        expect.objectContaining({
          code: 'BATCHKIT-PROVISION-009',
          message: expect.stringContaining('property VpcId is not set'),
        }),
      );
    },
  );

  test('tags: scalar values read as strings, an object value is an error naming the tag', () => {
    expect(tagList({ Tags: [{ Key: 'n', Value: 3 }, { Key: 'e' }] }, 'Tags', owner)).toEqual([
      { Key: 'n', Value: '3' },
      { Key: 'e', Value: '' },
    ]);
    expect(() => tagList({ Tags: [{ Key: 'team', Value: { Ref: 'X' } }] }, 'Tags', owner)).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-PROVISION-009',
        message: expect.stringContaining('property Tags["team"].Value is {"Ref":"X"}'),
      }),
    );
    expect(() => tagList({ Tags: 'team=data' }, 'Tags', owner)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('needs a list of objects') }),
    );
  });

  test('a list of objects rejects a scalar entry', () => {
    expect(objList({ SecurityGroupIngress: [{ IpProtocol: 'tcp' }] }, 'SecurityGroupIngress', owner)).toEqual([
      { IpProtocol: 'tcp' },
    ]);
    expect(() => objList({ SecurityGroupIngress: ['tcp'] }, 'SecurityGroupIngress', owner)).toThrow(
      expect.objectContaining({ code: 'BATCHKIT-PROVISION-009' }),
    );
  });

  test('LaunchTemplateData must be an object', () => {
    const lt: PropsOwner = { stack: 'Net', logicalId: 'Lt', cfnType: 'AWS::EC2::LaunchTemplate' };
    expect(launchTemplateData({}, lt)).toEqual({});
    expect(launchTemplateData({ LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } }, lt)).toEqual({
      MetadataOptions: { HttpTokens: 'required' },
    });
    expect(() => launchTemplateData({ LaunchTemplateData: 'imds-v2' }, lt)).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-PROVISION-009',
        message: expect.stringContaining('property LaunchTemplateData is "imds-v2"; batchkit needs an object'),
      }),
    );
  });
});

describe('apply', () => {
  const ec2 = mockClient(EC2Client);
  afterEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  function context(): ApplyContext {
    const clients = createClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      retry: { maxAttempts: 1 },
    });
    return {
      clients,
      resolved: new Map(),
      wait: { sleep: async () => undefined },
      iamSettleMs: 0,
      log: () => undefined,
    };
  }

  function network(cfnType: string, logicalId: string, props: Record<string, unknown>): DesiredNetwork {
    return {
      kind: 'Network',
      key: `Network:Net/${logicalId}`,
      name: `${cfnType.split('::')[2]} ${logicalId}`,
      stack: 'Net',
      dependsOn: [],
      origin: `Net/${logicalId}`,
      cfnType,
      logicalId,
      props,
    };
  }

  test('a subnet whose CidrBlock is not a string is refused before EC2 is called', async () => {
    ec2.on(CreateSubnetCommand).resolves({ Subnet: { SubnetId: 'subnet-1' } });
    await expect(
      applyNetwork(
        context(),
        network('AWS::EC2::Subnet', 'PrivateSubnet', { VpcId: 'vpc-1', CidrBlock: ['10.0.1.0/24'] }),
      ),
    ).rejects.toMatchObject({
      code: 'BATCHKIT-PROVISION-009',
      message: expect.stringContaining(
        'AWS::EC2::Subnet "PrivateSubnet" in stack Net: property CidrBlock is ["10.0.1.0/24"]',
      ),
    });
    expect(ec2.commandCalls(CreateSubnetCommand)).toHaveLength(0);
  });

  test('a VPC with an InstanceTenancy EC2 does not have is BATCHKIT-PROVISION-008 before EC2 is called', async () => {
    ec2.on(CreateVpcCommand).resolves({ Vpc: { VpcId: 'vpc-1' } });
    await expect(
      applyNetwork(context(), network('AWS::EC2::VPC', 'Vpc', { CidrBlock: '10.0.0.0/16', InstanceTenancy: 'shared' })),
    ).rejects.toMatchObject({
      code: 'BATCHKIT-PROVISION-008',
      message: expect.stringMatching(/InstanceTenancy is "shared".*allowed: default, dedicated, host/),
    });
    expect(ec2.commandCalls(CreateVpcCommand)).toHaveLength(0);
  });

  test('well-typed properties reach EC2 as written', async () => {
    ec2.on(CreateSubnetCommand).resolves({ Subnet: { SubnetId: 'subnet-1' } });
    ec2
      .on(CreateLaunchTemplateCommand)
      .resolves({ LaunchTemplate: { LaunchTemplateId: 'lt-1', LatestVersionNumber: 1, DefaultVersionNumber: 1 } });
    const ctx = context();
    await applyNetwork(
      ctx,
      network('AWS::EC2::Subnet', 'PrivateSubnet', {
        VpcId: 'vpc-1',
        CidrBlock: '10.0.1.0/24',
        AvailabilityZone: 'us-east-1a',
        Tags: [{ Key: 'tier', Value: 'private' }],
      }),
    );
    expect(ec2.commandCalls(CreateSubnetCommand)[0].args[0].input).toEqual({
      VpcId: 'vpc-1',
      CidrBlock: '10.0.1.0/24',
      AvailabilityZone: 'us-east-1a',
      TagSpecifications: [
        {
          ResourceType: 'subnet',
          Tags: [
            { Key: 'tier', Value: 'private' },
            { Key: 'batchkit:stack', Value: 'Net' },
            { Key: 'batchkit:logical-id', Value: 'PrivateSubnet' },
          ],
        },
      ],
    });
    await applyNetwork(
      ctx,
      network('AWS::EC2::LaunchTemplate', 'Lt', {
        LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
      }),
    );
    expect(ec2.commandCalls(CreateLaunchTemplateCommand)[0].args[0].input.LaunchTemplateData).toEqual({
      MetadataOptions: { HttpTokens: 'required' },
    });
    expect(ctx.resolved.get('Network:Net/PrivateSubnet')).toEqual({ name: 'subnet-1', arn: 'subnet-1' });
  });
});
