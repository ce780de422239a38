/**
 * Security group rules compared as sets of normalized permissions, and updated with only the
 * difference: new rules authorized first, changed descriptions updated, removed rules revoked
 * last (so a group that should allow egress never has none).
 */
import {
  desiredEgress,
  diffRules,
  rulesFromPermissions,
  rulesFromTemplate,
} from '../../lib/provisioner/plan/security-group-rules';
import { actionOf, changed, NetScenario, networkResources } from './net-scenario';

describe('security group rules as sets', () => {
  test('CloudFormation entries and EC2 permissions normalize to the same rules', () => {
    const fromTemplate = rulesFromTemplate([
      { IpProtocol: '6', FromPort: '443', ToPort: 443, CidrIp: '10.0.0.0/8', Description: 'https' },
      { IpProtocol: 'all', FromPort: -1, ToPort: -1, CidrIpv6: '::/0' },
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: 'sg-1' },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-1' },
    ]);
    const fromEc2 = rulesFromPermissions([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'https' }],
        PrefixListIds: [{ PrefixListId: 'pl-1' }],
      },
      { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        UserIdGroupPairs: [{ GroupId: 'sg-1', UserId: '123456789012' }],
      },
    ]);
    expect(fromTemplate).toEqual(fromEc2);
    expect(fromTemplate).toHaveLength(4);
    expect(diffRules(fromEc2, fromTemplate)).toEqual({ add: [], remove: [], redescribe: [] });
  });

  test('a description change is the same rule with a new description; no egress entries mean allow-all', () => {
    const d = diffRules(
      rulesFromTemplate([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/16', Description: 'ssh' }]),
      rulesFromTemplate([
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/16', Description: 'admin ssh' },
      ]),
    );
    expect(d).toEqual({
      add: [],
      remove: [],
      redescribe: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/16', Description: 'admin ssh' }],
    });
    expect(desiredEgress(undefined)).toEqual([{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }]);
    expect(desiredEgress([])).toEqual([{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }]);
  });
});

describe('security group updates in place', () => {
  let s: NetScenario;
  beforeEach(async () => {
    s = new NetScenario();
    await s.start();
    await s.deploy(networkResources());
  });
  afterEach(async () => {
    await s.stop();
  });

  test('ingress and egress: authorize new rules, update descriptions, then revoke; egress is never empty', async () => {
    const r = networkResources();
    r.Sg.Properties.SecurityGroupIngress = [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/16', Description: 'ssh from the vpc' },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'https' },
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: { 'Fn::GetAtt': ['PeerSg', 'GroupId'] },
      },
    ];
    r.Sg.Properties.SecurityGroupEgress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }];
    s.write(r);
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update SecurityGroup Sg']);
    expect(actionOf(plan, 'SecurityGroup Sg').reasons).toEqual([
      'SecurityGroupIngress: adds tcp 443 from 0.0.0.0/0 ("https"), tcp 5432 ' +
        'from group ref(Network:NetStack/PeerSg); changes the description of ' +
        'tcp 22 from 10.0.0.0/16 ("ssh from the vpc")',
      'SecurityGroupEgress: adds tcp 443 to 0.0.0.0/0; removes all traffic to 0.0.0.0/0',
    ]);
    const GroupId = s.id('Sg');
    expect(await s.applyAndRecord(plan)).toEqual([
      {
        name: 'AuthorizeSecurityGroupIngress',
        input: {
          GroupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
            },
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: s.id('PeerSg') }] },
          ],
        },
      },
      {
        name: 'UpdateSecurityGroupRuleDescriptionsIngress',
        input: {
          GroupId,
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'ssh from the vpc' }],
            },
          ],
        },
      },
      {
        name: 'AuthorizeSecurityGroupEgress',
        input: {
          GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        },
      },
      {
        name: 'RevokeSecurityGroupEgress',
        input: { GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      },
    ]);
    await s.expectConverged();

    // Back to no egress entries (allow-all) and no ingress: allow-all is authorized before the 443 rule goes.
    const back = networkResources();
    delete back.Sg.Properties.SecurityGroupEgress;
    delete back.Sg.Properties.SecurityGroupIngress;
    s.write(back);
    const plan2 = await s.plan();
    expect(actionOf(plan2, 'SecurityGroup Sg').reasons).toEqual([
      'SecurityGroupIngress: removes tcp 22 from 10.0.0.0/16 ("ssh from the ' +
        'vpc"), tcp 443 from 0.0.0.0/0 ("https"), tcp 5432 from group ref(Network:NetStack/PeerSg)',
      'SecurityGroupEgress: adds all traffic to 0.0.0.0/0; removes tcp 443 to 0.0.0.0/0',
    ]);
    expect(await s.applyAndRecord(plan2)).toEqual([
      {
        name: 'RevokeSecurityGroupIngress',
        input: {
          GroupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: s.id('PeerSg') }] },
          ],
        },
      },
      {
        name: 'AuthorizeSecurityGroupEgress',
        input: { GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      },
      {
        name: 'RevokeSecurityGroupEgress',
        input: {
          GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        },
      },
    ]);
    await s.expectConverged();
  });

  test('a rule removed outside batchkit is authorized again; an extra rule added outside is revoked', async () => {
    const group = s.ec2.items.sg.find((g) => g.GroupId === s.id('Sg'))!;
    group.IpPermissions = [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }];
    const plan = await s.plan();
    expect(actionOf(plan, 'SecurityGroup Sg').reasons).toEqual([
      'SecurityGroupIngress: adds tcp 22 from 10.0.0.0/16 ("ssh"); removes udp 53 from 10.0.0.0/16',
    ]);
    expect((await s.applyAndRecord(plan)).map((c) => c.name)).toEqual([
      'AuthorizeSecurityGroupIngress',
      'RevokeSecurityGroupIngress',
    ]);
    await s.expectConverged();
  });

  test('tags of a security group', async () => {
    const r = networkResources();
    r.Sg.Properties.Tags = [{ Key: 'Name', Value: 'batch' }];
    s.write(r);
    const plan = await s.plan();
    expect(actionOf(plan, 'SecurityGroup Sg').reasons).toEqual(['Tags: sets Name="batch"']);
    expect(await s.applyAndRecord(plan)).toEqual([
      { name: 'CreateTags', input: { Resources: [s.id('Sg')], Tags: [{ Key: 'Name', Value: 'batch' }] } },
    ]);
    await s.expectConverged();
  });
});
