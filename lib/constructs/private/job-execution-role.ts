/**
 * Constants of the stack's shared job-execution role (`JobExecutionRole.forStack()` in
 * `lib/constructs/iam`). aws-cdk-lib creates a role (and its policy) for every container
 * definition; batchkit job definitions share one per stack, so a job definition costs one
 * CloudFormation resource.
 */

/** Construct id of the shared role under the stack. Stable: changing it replaces the role. */
export const JOB_EXECUTION_ROLE_ID = 'BatchJobExecutionRole';

/** Log group Batch writes container logs to when a job definition sets no log configuration. */
export const DEFAULT_BATCH_LOG_GROUP = '/aws/batch/job';
