/**
 * The EC2 networking and launch templates of the app's templates, which the Batch model does not
 * carry: VPCs, subnets, internet gateways and their attachments, Elastic IPs, NAT gateways, route
 * tables, routes and subnet associations, security groups and launch templates. Read with the core
 * loader's intrinsic resolution, so a subnet that a compute environment `Ref`s has the same
 * (generated) id here as in the model, and the provisioner can map it to the real one.
 */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { readAssembly, type AssemblyStack } from '../../core/assembly/cloud-assembly';
import { NoteSink } from '../../core/assembly/notes';
import { readTemplateFile } from '../../core/assembly/parse';
import { getAttValue, refValue } from '../../core/assembly/physical-ids';
import { StackContext } from '../../core/assembly/stack-context';
import type { DeploymentEnvironment } from '../../core/model/batch-model';

/** CloudFormation types the provisioner creates through EC2, in creation order. */
export const NETWORK_TYPES: readonly string[] = [
  'AWS::EC2::VPC',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::Subnet',
  'AWS::EC2::EIP',
  'AWS::EC2::NatGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::LaunchTemplate',
];

/** Attributes other resources read with `Fn::GetAtt`, by type. */
const ATTRIBUTES: Record<string, readonly string[]> = {
  'AWS::EC2::EIP': ['AllocationId', 'PublicIp'],
  'AWS::EC2::SecurityGroup': ['GroupId'],
  'AWS::EC2::Subnet': ['SubnetId'],
  'AWS::EC2::VPC': ['VpcId'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateId'],
  'AWS::EC2::NatGateway': ['NatGatewayId'],
  'AWS::EC2::InternetGateway': ['InternetGatewayId'],
  'AWS::EC2::RouteTable': ['RouteTableId'],
};

/** One networking resource of a template. */
export interface NetworkResource {
  /** CloudFormation type. */
  readonly type: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Stack (artifact id). */
  readonly stack: string;
  /** Resolved properties (CloudFormation shape). */
  readonly props: Record<string, unknown>;
  /** Values other resources hold for this one in the model (its `Ref` and `Fn::GetAtt` results). */
  readonly refs: readonly string[];
  /** Logical ids of its `DependsOn` (a route that needs the gateway attached first). */
  readonly dependsOn: readonly string[];
}

/** The stacks of an app path (cloud assembly directory, manifest or single template). */
export function stacksAt(appPath: string, stacks: readonly string[] | undefined): AssemblyStack[] {
  const abs = path.resolve(appPath);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isDirectory() || path.basename(abs) === 'manifest.json') {
    const dir = statSync(abs).isDirectory() ? abs : path.dirname(abs);
    const all = readAssembly(dir).stacks;
    return stacks && stacks.length > 0 ? all.filter((s) => stacks.some((w) => w === s.artifactId || w === s.stackName || w === s.displayName)) : all;
  }
  const base = path.basename(abs).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  return [{ artifactId: base, stackName: base, displayName: base, templateFile: abs }];
}

/** Reads the networking resources of an app (cloud assembly or template). Nested stacks are not read. */
export function readNetwork(appPath: string, env: DeploymentEnvironment, stacks?: readonly string[]): NetworkResource[] {
  const out: NetworkResource[] = [];
  for (const stack of stacksAt(appPath, stacks)) {
    const sink = new NoteSink();
    const ctx = new StackContext(
      { sourceStack: stack.artifactId, stackName: stack.stackName, file: stack.templateFile, template: readTemplateFile(stack.templateFile), env, parameterValues: {} },
      sink,
    );
    for (const type of NETWORK_TYPES) {
      for (const [logicalId, resource] of Object.entries(ctx.resources)) {
        if (resource.Type !== type || !ctx.included(logicalId)) continue;
        const refs = [refValue(ctx, type, logicalId), ...(ATTRIBUTES[type] ?? []).map((a) => String(getAttValue(ctx, type, logicalId, a)))];
        const deps = typeof resource.DependsOn === 'string' ? [resource.DependsOn] : Array.isArray(resource.DependsOn) ? resource.DependsOn.filter((d): d is string => typeof d === 'string') : [];
        out.push({ type, logicalId, stack: stack.artifactId, props: ctx.properties(logicalId), refs: [...new Set(refs)], dependsOn: deps });
      }
    }
  }
  return out;
}
