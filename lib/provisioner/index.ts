/**
 * The SDK provisioner: plan / apply / destroy / doctor / submit over AWS Batch, IAM and EC2 from a
 * loaded cloud assembly. Re-exports only.
 */
export {
  createClients,
  silenceSdkNodeWarning,
  SDK_NODE_WARNING_ENV,
  type ClientOptions,
  type StaticCredentials,
} from './clients/factory';
export type { BatchApi, Ec2Api, EcrApi, IamApi, LogsApi, ProvisionerClients } from './clients/interfaces';
export { retrying, isThrottling, isTransient, THROTTLING_ERRORS, type RetryPolicy } from './clients/retry';
export {
  createPlan,
  planFrom,
  renderPlan,
  isEmptyPlan,
  type Plan,
  type PlanAction,
  type PlanActionType,
  type PlanOptions,
} from './plan/plan';
export {
  desiredState,
  STACK_TAG,
  NAME_TAG,
  LOGICAL_ID_TAG,
  type DesiredResource,
  type DesiredState,
  type ResourceKind,
} from './plan/desired';
export type { FieldChange } from './plan/diff';
export {
  applyPlan,
  renderApplyReport,
  type ApplyOptions,
  type ApplyReport,
  type Confirm,
  type FailedStep,
} from './apply/apply';
export { IMAGE_ERRORS } from './apply/image-steps';
export type { DockerCliOptions } from './apply/docker-cli';
export {
  destroy,
  renderDestroyReport,
  renderDestroyPreview,
  type DestroyOptions,
  type DestroyReport,
  type DestroyStep,
} from './apply/destroy';
export { PROVISION_ERRORS, type WaitOptions } from './apply/waiters';
export { staticDoctor } from './doctor/static';
export { liveDoctor, type LiveDoctorOptions } from './doctor/live';
export { DOCTOR } from './doctor/codes';
export {
  submitAndFollow,
  logLocation,
  describeProgress,
  type FollowOptions,
  type FollowResult,
  type LogLocation,
  type LogTail,
} from './submit/follow';
export { JobLogFollower, logStreamsOf, type JobLogFollowerOptions, type LogPoll } from './submit/log-follow';
