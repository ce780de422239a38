/**
 * A networking scenario for the update tests: a template on disk that a test rewrites, a local
 * Batch API and the stateful fake EC2; `deploy()` plans and applies, `converged()` checks that a
 * second plan is empty and a second apply sends no mutating EC2 call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadBatchModel } from '../../lib/core/assembly';
import { applyPlan, type ApplyReport } from '../../lib/provisioner/apply/apply';
import type { ProvisionerClients } from '../../lib/provisioner/clients/interfaces';
import { createPlan, isEmptyPlan, type Plan, type PlanAction } from '../../lib/provisioner/plan/plan';
import { installFakeEc2, type FakeEc2, type SentCommand } from './fake-ec2';
import { FAST_WAIT, startLocalTarget, type LocalTarget } from './support';

/** A template resource. */
export interface Res {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string;
}

/** Template resources by logical id. */
export type Resources = Record<string, Res>;

/** VPC, gateway, two subnets, NAT, two route tables with default routes and associations, two security groups. */
export function networkResources(): Resources {
  const vpc = { Ref: 'Vpc' };
  return {
    Vpc: {
      Type: 'AWS::EC2::VPC',
      Properties: {
        CidrBlock: '10.0.0.0/16',
        EnableDnsSupport: true,
        EnableDnsHostnames: true,
        Tags: [
          { Key: 'Name', Value: 'main' },
          { Key: 'Owner', Value: 'ops' },
        ],
      },
    },
    Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
    IgwAttach: {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: { VpcId: vpc, InternetGatewayId: { Ref: 'Igw' } },
    },
    PublicSubnet: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: vpc, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a', MapPublicIpOnLaunch: true },
    },
    PrivateSubnet: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: vpc, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' },
    },
    NatEip: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } },
    Nat: {
      Type: 'AWS::EC2::NatGateway',
      Properties: { SubnetId: { Ref: 'PublicSubnet' }, AllocationId: { 'Fn::GetAtt': ['NatEip', 'AllocationId'] } },
    },
    PublicRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: vpc } },
    PublicDefault: {
      Type: 'AWS::EC2::Route',
      DependsOn: 'IgwAttach',
      Properties: { RouteTableId: { Ref: 'PublicRt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } },
    },
    PublicAssoc: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { RouteTableId: { Ref: 'PublicRt' }, SubnetId: { Ref: 'PublicSubnet' } },
    },
    PrivateRt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: vpc } },
    PrivateDefault: {
      Type: 'AWS::EC2::Route',
      Properties: {
        RouteTableId: { Ref: 'PrivateRt' },
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: 'Nat' },
      },
    },
    PrivateAssoc: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { RouteTableId: { Ref: 'PrivateRt' }, SubnetId: { Ref: 'PrivateSubnet' } },
    },
    PeerSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'peers', VpcId: vpc } },
    Sg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'batch instances',
        VpcId: vpc,
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/16', Description: 'ssh' },
        ],
        SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }],
      },
    },
  };
}

/** One scenario. */
export class NetScenario {
  /** The fake EC2 (valid after {@link start}). */
  public ec2!: FakeEc2;
  /** The local Batch target. */
  public target!: LocalTarget;
  /** Template file. */
  public readonly file: string;

  constructor(public readonly stack = 'NetStack') {
    this.file = path.join(mkdtempSync(path.join(tmpdir(), 'bk-netup-')), `${stack}.template.json`);
  }

  /** Starts the local Batch API and the fake EC2. */
  public async start(): Promise<void> {
    this.target = await startLocalTarget();
    this.target.ec2.reset();
    this.ec2 = installFakeEc2(this.target.ec2 as Parameters<typeof installFakeEc2>[0]);
  }

  /** Stops everything. */
  public async stop(): Promise<void> {
    await this.target.close();
  }

  /** Clients (overridable for spying). */
  public clients(): ProvisionerClients {
    return this.target.clients;
  }

  /** Writes the template. */
  public write(resources: Resources): void {
    writeFileSync(this.file, JSON.stringify({ Resources: resources }));
  }

  /** Plans the template as it is on disk. */
  public async plan(): Promise<Plan> {
    return createPlan(loadBatchModel(this.file), this.clients(), { appPath: this.file });
  }

  /** Applies a plan (throws on a failed step). */
  public async apply(plan: Plan): Promise<ApplyReport> {
    const report = await applyPlan(plan, this.clients(), { wait: FAST_WAIT, iamSettleMs: 0 });
    if (!report.ok) throw new Error(`apply failed: ${JSON.stringify(report.failed)}`);
    return report;
  }

  /** Writes, plans and applies; forgets the EC2 calls made so far. */
  public async deploy(resources: Resources): Promise<void> {
    this.write(resources);
    await this.apply(await this.plan());
    this.target.ec2.resetHistory();
  }

  /** Applies a plan and returns the mutating EC2 calls it made. */
  public async applyAndRecord(plan: Plan): Promise<SentCommand[]> {
    this.target.ec2.resetHistory();
    await this.apply(plan);
    return this.ec2.mutations();
  }

  /** A second plan is empty and a second apply sends no mutating EC2 call. */
  public async expectConverged(): Promise<void> {
    const again = await this.plan();
    const open = again.actions
      .filter((a) => a.action !== 'no-op')
      .map((a) => `${a.action} ${label(a)}: ${a.reasons.join('; ')}`);
    if (open.length > 0 || !isEmptyPlan(again)) throw new Error(`second plan is not empty:\n${open.join('\n')}`);
    const sent = await this.applyAndRecord(again);
    if (sent.length > 0) throw new Error(`second apply sent ${sent.map((c) => c.name).join(', ')}`);
  }

  /** The real EC2 id of a resource of the stack by logical id. */
  public id(logicalId: string): string {
    for (const [kind, list] of Object.entries(this.ec2.items)) {
      const hit = list.find((i) => i.Tags.some((t) => t.Key === 'batchkit:logical-id' && t.Value === logicalId));
      if (hit)
        return String(
          hit[
            {
              vpc: 'VpcId',
              subnet: 'SubnetId',
              igw: 'InternetGatewayId',
              eip: 'AllocationId',
              nat: 'NatGatewayId',
              rtb: 'RouteTableId',
              sg: 'GroupId',
              lt: 'LaunchTemplateId',
            }[kind]!
          ],
        );
    }
    throw new Error(`no EC2 resource has logical id ${logicalId}`);
  }
}

/** How a test names an action: networking by its plan name (`Subnet PublicSubnet`), others as `<kind> <name>`. */
function label(a: PlanAction): string {
  return a.kind === 'Network' ? a.name : `${a.kind} ${a.name}`;
}

/** The actions that change something, as `<action> <label>`. */
export function changed(plan: Plan): string[] {
  return plan.actions.filter((a) => a.action !== 'no-op').map((a) => `${a.action} ${label(a)}`);
}

/** The action of a resource by its label (`Subnet PublicSubnet`, `ComputeEnvironment ce`). */
export function actionOf(plan: Plan, name: string): PlanAction {
  const a = plan.actions.find((x) => label(x) === name);
  if (!a) throw new Error(`no action for ${name}`);
  return a;
}
