/** The CloudWatch log group of a job definition, as AWS Batch chooses it. */
import type { JobDefinition } from '../../../core/model/job-definition';

/**
 * The `awslogs-group` option of the definition's container (the first node range's for
 * multi-node definitions) when its log driver is `awslogs`; undefined means `/aws/batch/job`.
 */
export function awslogsGroupOf(jd: JobDefinition | undefined): string | undefined {
  const log =
    jd?.containerProperties?.logConfiguration ??
    jd?.nodeProperties?.nodeRangeProperties[0]?.container?.logConfiguration;
  return log?.logDriver === 'awslogs' ? log.options?.['awslogs-group'] : undefined;
}
