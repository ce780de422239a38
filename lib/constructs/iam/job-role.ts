/**
 * A job role: the IAM role a job's containers assume (`jobRoleArn`).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_definition_parameters.html
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** Props of {@link JobRole}: those of `iam.Role` except the principal. */
export interface JobRoleProps extends Omit<iam.RoleProps, 'assumedBy'> {}

/**
 * A role trusted by `ecs-tasks.amazonaws.com` with no permissions of its own: grant it what the
 * job's code needs (`bucket.grantRead(jobRole)`).
 */
export class JobRole extends iam.Role {
  constructor(scope: Construct, id: string, props: JobRoleProps = {}) {
    super(scope, id, { ...props, assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  }
}
