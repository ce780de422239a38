/**
 * A VPC laid out for AWS Batch: public and private subnets across AZs, NAT gateways, optional
 * VPC endpoints so private jobs can pull images and ship logs without a NAT, flow logs on.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/create-public-private-vpc.html
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { constructError, constructWarning } from '../private/job-findings';

/** VPC endpoints a Batch workload in private subnets may need; values are the service names. */
export enum BatchVpcEndpoint {
  /** S3 gateway endpoint (ECR image layers live in S3). */
  S3 = 's3',
  /** ECR API (`ecr.api`). */
  ECR_API = 'ecr.api',
  /** ECR Docker registry (`ecr.dkr`). */
  ECR_DKR = 'ecr.dkr',
  /** CloudWatch Logs (`logs`), for the awslogs driver. */
  CLOUDWATCH_LOGS = 'logs',
  /** ECS (`ecs`). */
  ECS = 'ecs',
  /** ECS agent (`ecs-agent`). */
  ECS_AGENT = 'ecs-agent',
  /** ECS telemetry (`ecs-telemetry`). */
  ECS_TELEMETRY = 'ecs-telemetry',
}

/** Every endpoint private Batch jobs need to run without internet access. */
export const PRIVATE_JOB_ENDPOINTS: readonly BatchVpcEndpoint[] = [
  BatchVpcEndpoint.S3,
  BatchVpcEndpoint.ECR_API,
  BatchVpcEndpoint.ECR_DKR,
  BatchVpcEndpoint.CLOUDWATCH_LOGS,
  BatchVpcEndpoint.ECS,
  BatchVpcEndpoint.ECS_AGENT,
  BatchVpcEndpoint.ECS_TELEMETRY,
];

const INTERFACE_SERVICES: Record<
  Exclude<BatchVpcEndpoint, BatchVpcEndpoint.S3>,
  [string, ec2.InterfaceVpcEndpointAwsService]
> = {
  [BatchVpcEndpoint.ECR_API]: ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  [BatchVpcEndpoint.ECR_DKR]: ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
  [BatchVpcEndpoint.CLOUDWATCH_LOGS]: ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  [BatchVpcEndpoint.ECS]: ['Ecs', ec2.InterfaceVpcEndpointAwsService.ECS],
  [BatchVpcEndpoint.ECS_AGENT]: ['EcsAgent', ec2.InterfaceVpcEndpointAwsService.ECS_AGENT],
  [BatchVpcEndpoint.ECS_TELEMETRY]: ['EcsTelemetry', ec2.InterfaceVpcEndpointAwsService.ECS_TELEMETRY],
};

/** Props of {@link BatchVpc}. */
export interface BatchVpcProps {
  /**
   * Availability zones to spread subnets over.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * NAT gateways (one per AZ at most). With 0, the private subnets are isolated and jobs there
   * need `endpoints: PRIVATE_JOB_ENDPOINTS` to reach ECS, ECR and CloudWatch Logs.
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * Address range of the VPC.
   * @default ec2.IpAddresses.cidr('10.0.0.0/16')
   */
  readonly ipAddresses?: ec2.IIpAddresses;
  /**
   * VPC endpoints to create (interface endpoints in the private subnets, private DNS on).
   * @default - none
   */
  readonly endpoints?: readonly BatchVpcEndpoint[];
  /**
   * Record all traffic in a VPC flow log to a new CloudWatch Logs group.
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Name tag of the VPC.
   * @default - the construct path
   */
  readonly vpcName?: string;
}

/**
 * An `ec2.Vpc` for Batch; usable wherever an `ec2.IVpc` is (every batchkit construct also accepts
 * any existing `ec2.IVpc`).
 */
export class BatchVpc extends ec2.Vpc {
  /** The endpoints created, by service. */
  public readonly batchEndpoints: ReadonlyMap<BatchVpcEndpoint, ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint>;

  constructor(scope: Construct, id: string, props: BatchVpcProps = {}) {
    const natGateways = props.natGateways ?? 1;
    const maxAzs = props.maxAzs ?? 2;
    if (
      !Token.isUnresolved(natGateways) &&
      (!Number.isInteger(natGateways) || natGateways < 0 || natGateways > maxAzs)
    ) {
      throw constructError(scope, 'BATCHKIT-CDK-014', `BatchVpc "${id}": natGateways is out of range.`, {
        value: natGateways,
        allowed: `whole numbers 0-${maxAzs} (maxAzs)`,
        fix: 'use 1 (default, cheapest with egress), one per AZ for resilience, or 0 with endpoints.',
      });
    }
    super(scope, id, {
      vpcName: props.vpcName,
      maxAzs,
      natGateways,
      ipAddresses: props.ipAddresses ?? ec2.IpAddresses.cidr('10.0.0.0/16'),
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        {
          name: 'Private',
          subnetType: natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: 20,
        },
      ],
      flowLogs:
        (props.flowLogs ?? true)
          ? {
              FlowLog: {
                destination: ec2.FlowLogDestination.toCloudWatchLogs(),
                trafficType: ec2.FlowLogTrafficType.ALL,
              },
            }
          : undefined,
    });

    const wanted = [...new Set(props.endpoints ?? [])];
    const made = new Map<BatchVpcEndpoint, ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint>();
    const privateSubnets: ec2.SubnetSelection = {
      subnetType: natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
    };
    for (const endpoint of wanted) {
      if (endpoint === BatchVpcEndpoint.S3) {
        made.set(endpoint, this.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 }));
      } else {
        const [name, service] = INTERFACE_SERVICES[endpoint];
        made.set(
          endpoint,
          this.addInterfaceEndpoint(`${name}Endpoint`, { service, privateDnsEnabled: true, subnets: privateSubnets }),
        );
      }
    }
    this.batchEndpoints = made;

    const missing = PRIVATE_JOB_ENDPOINTS.filter((e) => !made.has(e));
    if (natGateways === 0 && missing.length > 0) {
      constructWarning(
        this,
        'BATCHKIT-CDK-W06',
        `natGateways is 0 and endpoints ${missing.join(', ')} are missing: ` +
          `instances and jobs in the private subnets cannot reach ECS, ECR or ` +
          `CloudWatch Logs, so the compute environment never becomes usable. Set ` +
          `endpoints: PRIVATE_JOB_ENDPOINTS or natGateways >= 1.`,
      );
    }
  }
}
