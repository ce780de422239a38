// Public barrel of the constructs: re-exports only, one line per file. Files that also hold helpers
// for batchkit's own code list their public names (helpers such as validateStages or
// familyArchitecture stay importable by path inside the repository, not from the package).
export * from './compute/compute-environment-base';
export { AllocationStrategy, EcsImageType, type ComputeImage } from './compute/compute-options';
export { BatchInstanceType, type InstanceTypeKind } from './compute/instance-type';
export * from './compute/batch-launch-template';
export * from './compute/managed-ec2-capacity-props';
export * from './compute/managed-ec2-compute-environment';
export * from './compute/managed-ec2-eks-compute-environment';
export * from './compute/fargate-compute-environment';
export * from './compute/unmanaged-compute-environment';
export * from './iam/batch-service-role';
export * from './iam/ecs-instance-role';
export * from './iam/spot-fleet-role';
export * from './iam/job-execution-role';
export * from './iam/job-role';
export { BatchVpc, BatchVpcEndpoint, type BatchVpcProps } from './network/batch-vpc';
export * from './job';
export * from './queue/job-queue-base';
export * from './queue/fairshare-scheduling-policy';
export {
  JobQueue,
  TimeLimitActionType,
  TimeLimitReason,
  type JobQueueProps,
  type OrderedComputeEnvironment,
  type TimeLimitAction,
} from './queue/job-queue';
export * from './events';
export { BatchkitNagRule, BATCHKIT_NAG_RULES, type BatchkitNagRuleInfo, type NagSeverity } from './nag/nag-rule';
export { BatchkitNagChecks, type BatchkitNagChecksProps } from './nag/batchkit-nag-checks';
export * from './nag/aws-solutions-acknowledgements';
export * from './patterns/batch-environment';
export * from './patterns/gpu-batch-environment';
export * from './patterns/fargate-batch-environment';
export { StageDependency, type PipelineStage } from './patterns/pipeline-stage';
export * from './patterns/batch-pipeline';
