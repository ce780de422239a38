/**
 * The Fargate network check (`BATCH-X-008`) for `validate` and `doctor`: reads the subnets, route
 * table associations, routes, gateways and VPC endpoints of the app's templates (nested stacks are
 * not read, so their environments are skipped) and runs the core check over them.
 */
import { readResources } from '../core/assembly';
import type { BatchModel } from '../core/model/batch-model';
import type { Finding } from '../core/rules/finding';
import { FARGATE_NETWORK_TYPES, fargateNetworkFindings } from '../core/rules/fargate-network';
import { platformOf } from '../core/rules/placement';

const ATTRIBUTES = {
  'AWS::EC2::Subnet': ['SubnetId'],
  'AWS::EC2::NatGateway': ['NatGatewayId'],
  'AWS::EC2::InternetGateway': ['InternetGatewayId'],
} as const;

/**
 * `BATCH-X-008` findings of the app at `appPath`; none (and nothing read) when the model has no Fargate
 * environment.
 */
export function fargateNetworkCheck(appPath: string, model: BatchModel, stacks?: readonly string[]): Finding[] {
  if (!model.computeEnvironments.some((ce) => platformOf(ce) === 'FARGATE')) return [];
  // Ids do not depend on the account or region, and endpoint service names are compared without the region.
  const resources = readResources(appPath, FARGATE_NETWORK_TYPES, { stacks, attributes: ATTRIBUTES });
  return fargateNetworkFindings(model, resources);
}
