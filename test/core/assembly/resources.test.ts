/**
 * `readResources`: resolved resources of chosen types, with each property that is a `Ref` or
 * `Fn::GetAtt` of another resource reported under its path in the resolved properties.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { generatedId, loadBatchModel, readResources } from '../../../lib/core/assembly';

let dir: string;
function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

const template = {
  Parameters: { Cidr: { Type: 'String', Default: '10.9.0.0/16' }, UseNat: { Type: 'String', Default: 'no' } },
  Conditions: { WithNat: { 'Fn::Equals': [{ Ref: 'UseNat' }, 'yes'] } },
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { Ref: 'Cidr' } } },
    Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
    Sg: {
      Type: 'AWS::EC2::SecurityGroup',
      DependsOn: ['Igw'],
      Properties: {
        GroupDescription: { 'Fn::Join': ['-', ['sg', { Ref: 'Vpc' }]] },
        VpcId: { 'Fn::GetAtt': ['Vpc', 'VpcId'] },
        SecurityGroupIngress: [
          { 'Fn::If': ['WithNat', { IpProtocol: 'tcp', CidrIp: '0.0.0.0/0' }, { Ref: 'AWS::NoValue' }] },
          { IpProtocol: '-1', SourceSecurityGroupId: { 'Fn::GetAtt': 'Peer.GroupId' } },
        ],
      },
    },
    Peer: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'peer', VpcId: { 'Fn::If': ['WithNat', 'vpc-other', { Ref: 'Vpc' }] } },
    },
    Nat: { Type: 'AWS::EC2::NatGateway', Condition: 'WithNat', Properties: { SubnetId: 'subnet-1' } },
    Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: {} } },
    Compute: {
      Type: 'AWS::Batch::ComputeEnvironment',
      Properties: {
        Type: 'MANAGED',
        ComputeResources: {
          Type: 'EC2',
          MaxvCpus: 4,
          Subnets: ['subnet-1'],
          InstanceRole: 'ecsInstanceRole',
          InstanceTypes: ['m6i'],
          SecurityGroupIds: [{ Ref: 'Sg' }],
          LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: { 'Fn::GetAtt': ['Lt', 'LatestVersionNumber'] } },
        },
      },
    },
  },
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-res-'));
});

describe('readResources', () => {
  test('resolves properties, reports Ref / Fn::GetAtt of resources by path, in the order of the types asked', () => {
    const file = write('Net.template.json', template);
    const found = readResources(file, ['AWS::EC2::SecurityGroup', 'AWS::EC2::VPC', 'AWS::EC2::NatGateway'], {
      attributes: { 'AWS::EC2::VPC': ['VpcId', 'CidrBlock'] },
    });
    expect(found.map((r) => `${r.type} ${r.logicalId}`)).toEqual([
      'AWS::EC2::SecurityGroup Sg',
      'AWS::EC2::SecurityGroup Peer',
      'AWS::EC2::VPC Vpc',
    ]);
    const vpcId = generatedId('vpc', 'Net', 'Vpc');
    const [sg, peer, vpc] = found;
    expect(vpc).toEqual({
      stack: 'Net',
      stackName: 'Net',
      logicalId: 'Vpc',
      type: 'AWS::EC2::VPC',
      properties: { CidrBlock: '10.9.0.0/16' },
      references: [],
      refValue: vpcId,
      attributes: { VpcId: vpcId, CidrBlock: '10.9.0.0/16' },
      dependsOn: [],
    });
    // The false branch of Fn::If (AWS::NoValue) drops the first rule, so the second is at index 0;
    // a Ref inside Fn::Join is resolved into the text and not reported.
    expect(sg.properties).toEqual({
      GroupDescription: `sg-${vpcId}`,
      VpcId: vpcId,
      SecurityGroupIngress: [{ IpProtocol: '-1', SourceSecurityGroupId: generatedId('sg', 'Net', 'Peer') }],
    });
    expect(sg.references).toEqual([
      { path: 'VpcId', logicalId: 'Vpc', attribute: 'VpcId' },
      { path: 'SecurityGroupIngress[0].SourceSecurityGroupId', logicalId: 'Peer', attribute: 'GroupId' },
    ]);
    expect(sg.dependsOn).toEqual(['Igw']);
    // Fn::If with a known condition is followed into its branch.
    expect(peer.references).toEqual([{ path: 'VpcId', logicalId: 'Vpc' }]);
  });

  test('references that the Batch model resolves to load-time values are reported with their attribute', () => {
    const file = write('Ce.template.json', template);
    const [ce] = readResources(file, ['AWS::Batch::ComputeEnvironment']);
    expect(ce.references).toEqual([
      { path: 'ComputeResources.SecurityGroupIds[0]', logicalId: 'Sg' },
      { path: 'ComputeResources.LaunchTemplate.LaunchTemplateId', logicalId: 'Lt' },
      { path: 'ComputeResources.LaunchTemplate.Version', logicalId: 'Lt', attribute: 'LatestVersionNumber' },
    ]);
    // The same values as the loader's model.
    const ltId = generatedId('lt', 'Ce', 'Lt');
    expect(ce.properties.ComputeResources).toMatchObject({ LaunchTemplate: { LaunchTemplateId: ltId, Version: '1' } });
    expect(loadBatchModel(file).computeEnvironments[0].computeResources?.launchTemplate).toEqual({
      launchTemplateId: ltId,
      version: '1',
    });
  });

  test('cloud assemblies: stacks by artifact id, filtered like the loader; an unknown stack is an error', () => {
    write('asm/manifest.json', {
      version: '55.0.0',
      artifacts: {
        One: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://111111111111/eu-west-1',
          properties: { templateFile: 'One.template.json', stackName: 'one-stack' },
        },
        Two: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Two.template.json' } },
      },
    });
    write('asm/One.template.json', {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { Tags: [{ Key: 'Region', Value: { Ref: 'AWS::Region' } }] } },
      },
    });
    write('asm/Two.template.json', {
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { Tags: [{ Key: 'Region', Value: { Ref: 'AWS::Region' } }] } },
      },
    });
    const all = readResources(path.join(dir, 'asm'), ['AWS::EC2::VPC'], { environment: { region: 'ap-south-1' } });
    expect(all.map((r) => [r.stack, r.stackName, r.properties.Tags])).toEqual([
      ['One', 'one-stack', [{ Key: 'Region', Value: 'eu-west-1' }]],
      ['Two', 'Two', [{ Key: 'Region', Value: 'ap-south-1' }]],
    ]);
    expect(
      readResources(path.join(dir, 'asm'), ['AWS::EC2::VPC'], { stacks: ['one-stack'] }).map((r) => r.stack),
    ).toEqual(['One']);
    let error: unknown;
    try {
      readResources(path.join(dir, 'asm'), ['AWS::EC2::VPC'], { stacks: ['Three'] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'BATCHKIT-ASSEMBLY-004',
      kind: 'input',
      message: expect.stringContaining('has no stack "Three". Its stacks: One, Two.'),
    });
    expect(() => readResources(path.join(dir, 'missing'), ['AWS::EC2::VPC'])).toThrow(/does not exist/);
  });
});
