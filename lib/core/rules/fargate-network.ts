/**
 * `BATCH-X-008`: a Fargate compute environment whose subnets, as the template shows them, give its
 * tasks no way to pull an image. A Fargate task pulls its image over its own network interface:
 * it needs a 0.0.0.0/0 route to a NAT gateway, or to an internet gateway with a public IP
 * assigned to the task (`networkConfiguration.assignPublicIp: ENABLED` in the job definition), or
 * VPC endpoints for ECR (`ecr.api`, `ecr.dkr`), S3 (the image layers) and CloudWatch Logs.
 * Without them every job fails with `CannotPullContainerError: ... i/o timeout` on AWS (it runs
 * locally, where there is no VPC). Checked only when the subnets, their route table associations
 * and routes are resources of the template; anything known only at deployment, or another route
 * target (transit gateway, network interface, peering), skips the check.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/fargate.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
import type { BatchModel } from '../model/batch-model';
import type { LoadedComputeEnvironment } from '../model/compute-environment';
import { isUnresolved } from '../model/unresolved';
import { computeEnvironmentRef } from './compute-environment-common';
import { finding, type Finding } from './finding';
import { jobPlatformOf, platformOf } from './placement';
import { sameStack } from './stack-pairing';

/** Code of the rule. */
export const FARGATE_NETWORK_CODE = 'BATCH-X-008';

/**
 * VPC endpoint services a Fargate task in a subnet without internet access needs to pull an image and send its
 * logs.
 */
export const FARGATE_ENDPOINT_SERVICES: readonly string[] = ['ecr.api', 'ecr.dkr', 's3', 'logs'];

/** CloudFormation types {@link fargateNetworkFindings} reads. */
export const FARGATE_NETWORK_TYPES: readonly string[] = [
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::Route',
  'AWS::EC2::NatGateway',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCEndpoint',
];

/** One network resource of the template, its properties resolved (the shape `readResources` gives). */
export interface NetworkResourceView {
  /** CloudFormation type. */
  readonly type: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Resolved properties. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** What a `Ref` of it resolves to. */
  readonly refValue: string;
  /** Resolved `Fn::GetAtt` values (`SubnetId`, ...), when read. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** How one subnet reaches the internet, as the template shows it. */
type Reach =
  | { readonly kind: 'nat' | 'other' | 'unknown' }
  | { readonly kind: 'igw'; readonly routeTable: string }
  | { readonly kind: 'none'; readonly routeTable: string; readonly missing: readonly string[] };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && !isUnresolved(v) ? v : undefined;
}

function ids(r: NetworkResourceView): string[] {
  return [r.refValue, ...Object.values(r.attributes ?? {}).filter((v): v is string => typeof v === 'string')];
}

/** The endpoint service of `com.amazonaws.<region>.ecr.dkr` (`ecr.dkr`). */
function serviceOf(name: string): string {
  return name.split('.').slice(3).join('.');
}

function reachOf(subnetId: string, resources: readonly NetworkResourceView[]): Reach {
  const subnet = resources.find((r) => r.type === 'AWS::EC2::Subnet' && ids(r).includes(subnetId));
  if (!subnet) return { kind: 'unknown' };
  const vpc = str(subnet.properties.VpcId);
  const association = resources.find(
    (r) => r.type === 'AWS::EC2::SubnetRouteTableAssociation' && r.properties.SubnetId === subnetId,
  );
  const table = str(association?.properties.RouteTableId);
  if (!vpc || !table) return { kind: 'unknown' };
  // Named by its logical id in messages: its id is known only once deployed.
  const tableName =
    resources.find((r) => r.type === 'AWS::EC2::RouteTable' && ids(r).includes(table))?.logicalId ?? table;
  const routes = resources.filter((r) => r.type === 'AWS::EC2::Route' && r.properties.RouteTableId === table);
  if (routes.some((r) => isUnresolved(Object.values(r.properties)))) return { kind: 'unknown' };
  const defaults = routes.filter((r) => r.properties.DestinationCidrBlock === '0.0.0.0/0');
  const nats = resources.filter((r) => r.type === 'AWS::EC2::NatGateway').flatMap(ids);
  const igws = resources.filter((r) => r.type === 'AWS::EC2::InternetGateway').flatMap(ids);
  if (defaults.some((r) => r.properties.NatGatewayId !== undefined || nats.includes(String(r.properties.GatewayId))))
    return { kind: 'nat' };
  const viaOther = [
    'TransitGatewayId',
    'NetworkInterfaceId',
    'InstanceId',
    'VpcPeeringConnectionId',
    'CarrierGatewayId',
    'VpcEndpointId',
  ];
  if (defaults.some((r) => viaOther.some((k) => r.properties[k] !== undefined))) return { kind: 'other' };
  const gateway = (r: NetworkResourceView) => String(r.properties.GatewayId ?? '');
  if (defaults.some((r) => igws.includes(gateway(r)) || gateway(r).startsWith('igw-')))
    return { kind: 'igw', routeTable: tableName };
  // Another gateway (a virtual private gateway): egress the template does not show.
  if (defaults.some((r) => gateway(r) !== '')) return { kind: 'other' };
  const endpoints = resources.filter((r) => r.type === 'AWS::EC2::VPCEndpoint' && r.properties.VpcId === vpc);
  if (endpoints.some((r) => str(r.properties.ServiceName) === undefined)) return { kind: 'unknown' };
  const reachable = new Set(
    endpoints
      .filter((r) => {
        const gatewayType = r.properties.VpcEndpointType === undefined || r.properties.VpcEndpointType === 'Gateway';
        const tables = r.properties.RouteTableIds;
        // A gateway endpoint (S3) serves the subnet only through its route table.
        return !gatewayType || (Array.isArray(tables) && tables.includes(table));
      })
      .map((r) => serviceOf(String(r.properties.ServiceName))),
  );
  const missing = FARGATE_ENDPOINT_SERVICES.filter((s) => !reachable.has(s));
  return missing.length === 0 ? { kind: 'other' } : { kind: 'none', routeTable: tableName, missing };
}

/** The Fargate job definitions of the environment's stack that do not assign a public IP. */
function withoutPublicIp(model: BatchModel, ce: LoadedComputeEnvironment): { all: number; lacking: string[] } {
  const fargate = model.jobDefinitions.filter(
    (jd) => jobPlatformOf(jd) === 'FARGATE' && sameStack(jd.source, ce.source),
  );
  const lacking = fargate
    .filter((jd) => jd.containerProperties?.networkConfiguration?.assignPublicIp !== 'ENABLED')
    .map((jd) => jd.jobDefinitionName);
  return { all: fargate.length, lacking };
}

/**
 * `BATCH-X-008` findings (warnings) for the Fargate environments of the model, given the network
 * resources of the same templates. Environments whose subnets are not all in `resources` are skipped.
 */
export function fargateNetworkFindings(model: BatchModel, resources: readonly NetworkResourceView[]): Finding[] {
  const out: Finding[] = [];
  for (const ce of model.computeEnvironments) {
    const subnets = ce.computeResources?.subnets;
    if (platformOf(ce) !== 'FARGATE' || !Array.isArray(subnets) || subnets.length === 0 || isUnresolved(subnets))
      continue;
    const reach = subnets.map((s) => ({ subnet: s, reach: reachOf(s, resources) }));
    if (reach.some((r) => r.reach.kind === 'unknown')) continue;
    const isolated = reach.filter((r) => r.reach.kind === 'none');
    const publicOnly = reach.filter((r) => r.reach.kind === 'igw');
    const jds = withoutPublicIp(model, ce);
    const igwProblem = publicOnly.length > 0 && (jds.all === 0 || jds.lacking.length > 0);
    if (isolated.length === 0 && !igwProblem) continue;
    const name = (id: string) =>
      `${resources.find((r) => r.type === 'AWS::EC2::Subnet' && ids(r).includes(id))?.logicalId ?? '?'} (${id})`;
    const lines: string[] = [];
    for (const r of isolated) {
      if (r.reach.kind !== 'none') continue;
      lines.push(
        `subnet ${name(r.subnet)}, route table ${r.reach.routeTable}: no ` +
          `0.0.0.0/0 route to a NAT or internet gateway, and no VPC endpoint for ${r.reach.missing.join(', ')}.`,
      );
    }
    if (igwProblem) {
      const who =
        jds.all === 0
          ? 'its Fargate job definitions must set'
          : `job definition(s) ${jds.lacking.map((n) => `"${n}"`).join(', ')} do not set`;
      lines.push(
        `subnet(s) ${publicOnly.map((r) => name(r.subnet)).join(', ')}: the ` +
          `internet only through an internet gateway, which needs a public IP on ` +
          `the task, and ${who} networkConfiguration.assignPublicIp: ENABLED.`,
      );
    }
    out.push(
      finding({
        code: FARGATE_NETWORK_CODE,
        severity: 'warning',
        resource: computeEnvironmentRef(ce),
        field: 'computeResources.subnets',
        problem: 'Fargate jobs here cannot pull their image on AWS (CannotPullContainerError: ... i/o timeout):',
        details: lines.map((text) => ({ text })),
        allowed:
          'subnets with a 0.0.0.0/0 route to a NAT gateway; or to an internet ' +
          'gateway with assignPublicIp ENABLED; or VPC endpoints for ecr.api, ' +
          'ecr.dkr, logs and an S3 gateway endpoint on the route table',
        fix:
          'route the subnets through a NAT gateway, or set ' +
          'networkConfiguration.assignPublicIp to ENABLED in public subnets, or ' +
          'add the ecr.api, ecr.dkr and logs interface endpoints and an S3 gateway endpoint.',
      }),
    );
  }
  return out;
}
