/**
 * The job-execution role: what the ECS agent uses to pull images, read secrets and write logs for
 * a job. aws-cdk-lib creates one per container definition; batchkit shares one per stack.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/execution-IAM-role.html
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { DEFAULT_BATCH_LOG_GROUP, JOB_EXECUTION_ROLE_ID } from '../private/job-execution-role';

/** Props of {@link JobExecutionRole}. */
export interface JobExecutionRoleProps extends Omit<iam.RoleProps, 'assumedBy'> {
  /**
   * Let the role write container logs to the default log group `/aws/batch/job`.
   * @default true
   */
  readonly defaultLogGroupAccess?: boolean;
}

/**
 * A role trusted by `ecs-tasks.amazonaws.com` that may write to `/aws/batch/job`. Image pulls,
 * secrets and other log groups are granted by the job definitions that need them
 * (`repository.grantPull(role)`, `secret.grantRead(role)`).
 */
export class JobExecutionRole extends iam.Role {
  /** Construct id of the stack's shared role. Stable: changing it replaces the role. */
  public static readonly SHARED_ID = JOB_EXECUTION_ROLE_ID;

  /**
   * The stack's shared execution role, created on first use; job definitions without an
   * `executionRole` use it, so a stack has one however many job definitions it declares.
   */
  public static forStack(scope: IConstruct): iam.Role {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(JobExecutionRole.SHARED_ID);
    if (existing) return existing as iam.Role;
    return new JobExecutionRole(stack, JobExecutionRole.SHARED_ID, {
      description: 'Shared execution role of the AWS Batch job definitions in this stack (batchkit)',
    });
  }

  constructor(scope: Construct, id: string, props: JobExecutionRoleProps = {}) {
    const { defaultLogGroupAccess, ...roleProps } = props;
    super(scope, id, { ...roleProps, assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    if (defaultLogGroupAccess ?? true) {
      this.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [
            Stack.of(this).formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${DEFAULT_BATCH_LOG_GROUP}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
  }
}
