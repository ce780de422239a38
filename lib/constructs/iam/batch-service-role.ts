/**
 * A custom AWS Batch service role. batchkit's compute environments use the service-linked role
 * `AWSServiceRoleForBatch` unless one of these (or another role) is passed as `serviceRole`.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/service_IAM_role.html
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Props of {@link BatchServiceRole}: those of `iam.Role` except the principal. */
export interface BatchServiceRoleProps extends Omit<iam.RoleProps, 'assumedBy'> {}

/**
 * The AWS Batch service role: trusted by `batch.amazonaws.com`, with the AWS managed policy
 * `service-role/AWSBatchServiceRole`.
 *
 * Prefer the service-linked role (the default of every batchkit compute environment): AWS
 * recommends it, and only with it can Batch apply infrastructure updates in place. Use this role
 * when your organisation requires a role it owns.
 */
export class BatchServiceRole extends iam.Role {
  /** ARN of the AWS managed policy attached. */
  public static readonly MANAGED_POLICY_NAME = 'service-role/AWSBatchServiceRole';

  constructor(scope: Construct, id: string, props: BatchServiceRoleProps = {}) {
    super(scope, id, {
      description: 'AWS Batch service role (batchkit)',
      ...props,
      assumedBy: new iam.ServicePrincipal('batch.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(BatchServiceRole.MANAGED_POLICY_NAME),
        ...(props.managedPolicies ?? []),
      ],
    });
  }
}
