/**
 * Networking updates in place: VPC DNS attributes, subnet public IP mapping, user tags, route
 * targets and route table associations; replacements as blockers. Each test deploys the network,
 * changes the template, checks the plan's action and reasons and the exact EC2 calls apply sends,
 * and that a second plan is empty and a second apply sends nothing.
 */
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { actionOf, changed, NetScenario, networkResources } from './net-scenario';

describe('networking updates in place', () => {
  let s: NetScenario;
  beforeEach(async () => {
    s = new NetScenario();
    await s.start();
    await s.deploy(networkResources());
  });
  afterEach(async () => {
    await s.stop();
  });

  test('the deployed network plans as unchanged, and a second apply sends nothing', async () => {
    await s.expectConverged();
  });

  test('VPC DNS attributes: one ModifyVpcAttribute per attribute, hostnames off before support goes off', async () => {
    const r = networkResources();
    r.Vpc.Properties.EnableDnsSupport = false;
    r.Vpc.Properties.EnableDnsHostnames = false;
    s.write(r);
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update VPC Vpc']);
    expect(actionOf(plan, 'VPC Vpc').reasons).toEqual([
      'EnableDnsSupport: true → false',
      'EnableDnsHostnames: true → false',
    ]);
    const vpcId = s.id('Vpc');
    expect(await s.applyAndRecord(plan)).toEqual([
      { name: 'ModifyVpcAttribute', input: { VpcId: vpcId, EnableDnsHostnames: { Value: false } } },
      { name: 'ModifyVpcAttribute', input: { VpcId: vpcId, EnableDnsSupport: { Value: false } } },
    ]);
    await s.expectConverged();

    // Back on: support first, then hostnames.
    s.write(networkResources());
    const back = await s.plan();
    expect(actionOf(back, 'VPC Vpc').reasons).toEqual([
      'EnableDnsSupport: false → true',
      'EnableDnsHostnames: false → true',
    ]);
    expect(await s.applyAndRecord(back)).toEqual([
      { name: 'ModifyVpcAttribute', input: { VpcId: vpcId, EnableDnsSupport: { Value: true } } },
      { name: 'ModifyVpcAttribute', input: { VpcId: vpcId, EnableDnsHostnames: { Value: true } } },
    ]);
    await s.expectConverged();
  });

  test('an unset DNS attribute means the EC2 default (support on, hostnames off)', async () => {
    const r = networkResources();
    delete r.Vpc.Properties.EnableDnsSupport;
    delete r.Vpc.Properties.EnableDnsHostnames;
    s.write(r);
    const plan = await s.plan();
    expect(actionOf(plan, 'VPC Vpc').reasons).toEqual(['EnableDnsHostnames: true → false']);
    expect(await s.applyAndRecord(plan)).toEqual([
      { name: 'ModifyVpcAttribute', input: { VpcId: s.id('Vpc'), EnableDnsHostnames: { Value: false } } },
    ]);
    await s.expectConverged();
  });

  test(
    'user tags: CreateTags for new and changed values, DeleteTags for ' +
      "removed keys; aws:* and batchkit's own tags untouched",
    async () => {
      const vpc = s.ec2.items.vpc[0];
      vpc.Tags.push({ Key: 'aws:cloudformation:stack-name', Value: 'elsewhere' });
      const r = networkResources();
      r.Vpc.Properties.Tags = [
        { Key: 'Name', Value: 'renamed' },
        { Key: 'team', Value: 'data' },
      ];
      r.NatEip.Properties.Tags = [{ Key: 'Name', Value: 'nat-ip' }];
      s.write(r);
      const plan = await s.plan();
      expect(changed(plan)).toEqual(['update VPC Vpc', 'update EIP NatEip']);
      expect(actionOf(plan, 'VPC Vpc').reasons).toEqual(['Tags: sets Name="renamed", team="data"; removes Owner']);
      expect(actionOf(plan, 'EIP NatEip').reasons).toEqual(['Tags: sets Name="nat-ip"']);
      const vpcId = s.id('Vpc');
      const sent = await s.applyAndRecord(plan);
      // The two resources are updated in parallel: the order holds per resource.
      const on = (id: string) => sent.filter((c) => (c.input.Resources as string[]).includes(id));
      expect(sent).toHaveLength(3);
      expect(on(vpcId)).toEqual([
        {
          name: 'CreateTags',
          input: {
            Resources: [vpcId],
            Tags: [
              { Key: 'Name', Value: 'renamed' },
              { Key: 'team', Value: 'data' },
            ],
          },
        },
        { name: 'DeleteTags', input: { Resources: [vpcId], Tags: [{ Key: 'Owner' }] } },
      ]);
      expect(on(s.id('NatEip'))).toEqual([
        { name: 'CreateTags', input: { Resources: [s.id('NatEip')], Tags: [{ Key: 'Name', Value: 'nat-ip' }] } },
      ]);
      expect(vpc.Tags.map((t) => t.Key).sort()).toEqual([
        'Name',
        'aws:cloudformation:stack-name',
        'batchkit:logical-id',
        'batchkit:stack',
        'team',
      ]);
      await s.expectConverged();
    },
  );

  test('subnet MapPublicIpOnLaunch: ModifySubnetAttribute', async () => {
    const r = networkResources();
    r.PublicSubnet.Properties.MapPublicIpOnLaunch = false;
    r.PrivateSubnet.Properties.MapPublicIpOnLaunch = true;
    s.write(r);
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update Subnet PublicSubnet', 'update Subnet PrivateSubnet']);
    expect(actionOf(plan, 'Subnet PublicSubnet').reasons).toEqual(['MapPublicIpOnLaunch: true → false']);
    expect(actionOf(plan, 'Subnet PrivateSubnet').reasons).toEqual(['MapPublicIpOnLaunch: false → true']);
    const sent = await s.applyAndRecord(plan);
    expect(sent).toEqual(
      expect.arrayContaining([
        {
          name: 'ModifySubnetAttribute',
          input: { SubnetId: s.id('PublicSubnet'), MapPublicIpOnLaunch: { Value: false } },
        },
        {
          name: 'ModifySubnetAttribute',
          input: { SubnetId: s.id('PrivateSubnet'), MapPublicIpOnLaunch: { Value: true } },
        },
      ]),
    );
    expect(sent).toHaveLength(2);
    await s.expectConverged();
  });

  test("a route's new target: ReplaceRoute with the new target only", async () => {
    const r = networkResources();
    r.PrivateDefault.Properties = {
      RouteTableId: { Ref: 'PrivateRt' },
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: { Ref: 'Igw' },
    };
    s.write(r);
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update Route PrivateDefault']);
    expect(actionOf(plan, 'Route PrivateDefault').reasons).toEqual([
      'Target: {"NatGatewayId":"ref(Network:NetStack/Nat)"} → {"GatewayId":"ref(Network:NetStack/Igw)"}',
    ]);
    expect(await s.applyAndRecord(plan)).toEqual([
      {
        name: 'ReplaceRoute',
        input: { RouteTableId: s.id('PrivateRt'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: s.id('Igw') },
      },
    ]);
    await s.expectConverged();
  });

  test('a subnet associated with another route table: ReplaceRouteTableAssociation', async () => {
    const privateRt = s.ec2.items.rtb.find((t) => t.RouteTableId === s.id('PrivateRt'))!;
    const oldAssociation = (privateRt.Associations as Array<{ RouteTableAssociationId: string }>)[0]
      .RouteTableAssociationId;
    const r = networkResources();
    r.PrivateAssoc.Properties.RouteTableId = { Ref: 'PublicRt' };
    s.write(r);
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update SubnetRouteTableAssociation PrivateAssoc']);
    expect(actionOf(plan, 'SubnetRouteTableAssociation PrivateAssoc').reasons).toEqual([
      'RouteTableId: "ref(Network:NetStack/PrivateRt)" → "ref(Network:NetStack/PublicRt)"',
    ]);
    expect(await s.applyAndRecord(plan)).toEqual([
      {
        name: 'ReplaceRouteTableAssociation',
        input: { AssociationId: oldAssociation, RouteTableId: s.id('PublicRt') },
      },
    ]);
    await s.expectConverged();
  });

  test(
    'a subnet associated outside the stack is found with the ' + 'association.subnet-id filter and moved back',
    async () => {
      // Someone moved the private subnet to a route table batchkit did not create.
      const privateRt = s.ec2.items.rtb.find((t) => t.RouteTableId === s.id('PrivateRt'))!;
      const association = (privateRt.Associations as unknown[]).pop() as { SubnetId: string };
      s.ec2.items.rtb.push({
        RouteTableId: 'rtb-foreign',
        VpcId: s.id('Vpc'),
        Routes: [],
        Associations: [
          { ...association, RouteTableAssociationId: 'rtbassoc-foreign', RouteTableId: 'rtb-foreign', Main: false },
        ],
        Tags: [],
      });
      s.write(networkResources());
      const plan = await s.plan();
      expect(changed(plan)).toEqual(['update SubnetRouteTableAssociation PrivateAssoc']);
      expect(actionOf(plan, 'SubnetRouteTableAssociation PrivateAssoc').reasons).toEqual([
        'RouteTableId: "rtb-foreign" → "ref(Network:NetStack/PrivateRt)"',
      ]);
      expect(await s.applyAndRecord(plan)).toEqual([
        {
          name: 'ReplaceRouteTableAssociation',
          input: { AssociationId: 'rtbassoc-foreign', RouteTableId: s.id('PrivateRt') },
        },
      ]);
      await s.expectConverged();
    },
  );
});

describe('networking changes that need a new resource are blockers', () => {
  let s: NetScenario;
  beforeEach(async () => {
    s = new NetScenario();
    await s.start();
    await s.deploy(networkResources());
  });
  afterEach(async () => {
    await s.stop();
  });

  const fix = (field: string, from: string) =>
    `batchkit does not replace networking in place. Fix: keep ${field} ` +
    `${from} in the app, or run \`batchkit destroy --stack NetStack\` and ` +
    `then \`batchkit apply\` to recreate the stack with the new value.`;

  test('a subnet CIDR block: the exact blocker, a replace action, and apply changes nothing', async () => {
    const r = networkResources();
    r.PrivateSubnet.Properties.CidrBlock = '10.0.2.0/24';
    s.write(r);
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['replace Subnet PrivateSubnet']);
    expect(actionOf(plan, 'Subnet PrivateSubnet').reasons).toEqual([
      'CidrBlock: "10.0.1.0/24" → "10.0.2.0/24" — replacement: EC2 cannot ' +
        'change the CIDR block of an existing subnet',
    ]);
    expect(plan.blockers).toEqual([
      `Subnet ${s.id('PrivateSubnet')} (logical id PrivateSubnet in stack ` +
        `NetStack, AWS::EC2::Subnet): CidrBlock would change from "10.0.1.0/24" to "10.0.2.0/24", ` +
        `which needs a new Subnet: EC2 cannot change the CIDR block of an ` +
        `existing subnet. ${fix('CidrBlock', '"10.0.1.0/24"')}`,
    ]);
    s.target.ec2.resetHistory();
    await expect(applyPlan(plan, s.clients())).rejects.toThrow(/The plan has 1 blocker\(s\); nothing was changed/);
    expect(s.ec2.mutations()).toEqual([]);
  });

  test.each([
    [
      'VPC',
      'Vpc',
      'CidrBlock',
      (r: ReturnType<typeof networkResources>) => (r.Vpc.Properties.CidrBlock = '10.1.0.0/16'),
      '"10.0.0.0/16"',
      '"10.1.0.0/16"',
      'EC2 cannot change the primary CIDR block of an existing VPC',
    ],
    [
      'Subnet',
      'PublicSubnet',
      'AvailabilityZone',
      (r: ReturnType<typeof networkResources>) => (r.PublicSubnet.Properties.AvailabilityZone = 'us-east-1b'),
      '"us-east-1a"',
      '"us-east-1b"',
      'a subnet cannot move to another Availability Zone',
    ],
    [
      'SecurityGroup',
      'Sg',
      'GroupDescription',
      (r: ReturnType<typeof networkResources>) => (r.Sg.Properties.GroupDescription = 'workers'),
      '"batch instances"',
      '"workers"',
      'EC2 cannot change the description of an existing security group',
    ],
    [
      'NatGateway',
      'Nat',
      'SubnetId',
      (r: ReturnType<typeof networkResources>) => (r.Nat.Properties.SubnetId = { Ref: 'PrivateSubnet' }),
      '{"Ref":"PublicSubnet"}',
      '{"Ref":"PrivateSubnet"}',
      'a NAT gateway cannot move to another subnet',
    ],
  ])('%s %s %s', async (kind, logicalId, field, change, from, to, why) => {
    const r = networkResources();
    change(r);
    s.write(r);
    const plan = await s.plan();
    expect(actionOf(plan, `${kind} ${logicalId}`).action).toBe('replace');
    expect(plan.blockers).toEqual([
      `${kind} ${s.id(logicalId)} (logical id ${logicalId} in stack NetStack, ` +
        `AWS::EC2::${kind}): ${field} would change from ${from} to ${to}, which ` +
        `needs a new ${kind}: ${why}. ${fix(field, from)}`,
    ]);
  });
});
