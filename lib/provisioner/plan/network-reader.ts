/**
 * The EC2 networking and launch templates of the app's templates, which the Batch model does not
 * carry: VPCs, subnets, internet gateways and their attachments, Elastic IPs, NAT gateways, route
 * tables, routes and subnet associations, security groups and launch templates. Read with the core
 * loader's intrinsic resolution (`readResources`), so a subnet that a compute environment `Ref`s has
 * the same (generated) id here as in the model, and the provisioner can map it to the real one.
 */
import { readResources } from '../../core/assembly';
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

/** Attributes other resources read with `Fn::GetAtt`, by type (ids only: version numbers are followed separately). */
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

/** Which launch template version attribute a compute environment's `LaunchTemplate.Version` reads. */
export interface LaunchTemplateVersionReference {
  /** Stack (artifact id). */
  readonly stack: string;
  /** Logical id of the compute environment. */
  readonly computeEnvironment: string;
  /** Logical id of the launch template. */
  readonly launchTemplate: string;
  /** `LatestVersionNumber` or `DefaultVersionNumber`. */
  readonly attribute: 'LatestVersionNumber' | 'DefaultVersionNumber';
}

/** What the provisioner reads from the app beyond the Batch model. */
export interface AppNetwork {
  /** Networking resources and launch templates, in {@link NETWORK_TYPES} order per stack. */
  readonly resources: NetworkResource[];
  /** Compute environments whose launch template version is `Fn::GetAtt` of a launch template's version number. */
  readonly versionReferences: LaunchTemplateVersionReference[];
}

const VERSION_ATTRIBUTES = ['LatestVersionNumber', 'DefaultVersionNumber'] as const;

/** Reads the networking resources of an app (cloud assembly or template). Nested stacks are not read. */
export function readNetwork(appPath: string, env: DeploymentEnvironment, stacks?: readonly string[]): AppNetwork {
  const found = readResources(appPath, [...NETWORK_TYPES, 'AWS::Batch::ComputeEnvironment'], {
    environment: env,
    stacks,
    attributes: ATTRIBUTES,
  });
  const resources: NetworkResource[] = [];
  const versionReferences: LaunchTemplateVersionReference[] = [];
  for (const r of found) {
    if (r.type === 'AWS::Batch::ComputeEnvironment') {
      const ref = r.references.find((x) => x.path === 'ComputeResources.LaunchTemplate.Version');
      const attribute = VERSION_ATTRIBUTES.find((a) => a === ref?.attribute);
      const target = found.find((x) => x.stack === r.stack && x.logicalId === ref?.logicalId);
      if (ref && attribute && target?.type === 'AWS::EC2::LaunchTemplate') {
        versionReferences.push({
          stack: r.stack,
          computeEnvironment: r.logicalId,
          launchTemplate: ref.logicalId,
          attribute,
        });
      }
      continue;
    }
    const refs = [r.refValue, ...Object.values(r.attributes).map((v) => String(v))];
    resources.push({
      type: r.type,
      logicalId: r.logicalId,
      stack: r.stack,
      props: r.properties,
      refs: [...new Set(refs)],
      dependsOn: r.dependsOn,
    });
  }
  return { resources, versionReferences };
}
