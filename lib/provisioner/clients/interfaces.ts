/**
 * The narrow per-service interfaces the provisioner calls: only the operations batchkit uses, in
 * the SDK's own input/output shapes. Real implementations come from `createClients()`; tests can
 * point the same factory at `aws-sdk-client-mock` or at `batchkit local serve`.
 */
import type * as batch from '@aws-sdk/client-batch';
import type * as logs from '@aws-sdk/client-cloudwatch-logs';
import type * as ec2 from '@aws-sdk/client-ec2';
import type * as iam from '@aws-sdk/client-iam';
import type { EcrApi } from './ecr-api';

export type { EcrApi } from './ecr-api';

/** The AWS Batch operations batchkit calls. */
export interface BatchApi {
  /** DescribeComputeEnvironments. */
  describeComputeEnvironments(
    input: batch.DescribeComputeEnvironmentsCommandInput,
  ): Promise<batch.DescribeComputeEnvironmentsCommandOutput>;
  /** CreateComputeEnvironment. */
  createComputeEnvironment(
    input: batch.CreateComputeEnvironmentCommandInput,
  ): Promise<batch.CreateComputeEnvironmentCommandOutput>;
  /** UpdateComputeEnvironment. */
  updateComputeEnvironment(
    input: batch.UpdateComputeEnvironmentCommandInput,
  ): Promise<batch.UpdateComputeEnvironmentCommandOutput>;
  /** DeleteComputeEnvironment. */
  deleteComputeEnvironment(
    input: batch.DeleteComputeEnvironmentCommandInput,
  ): Promise<batch.DeleteComputeEnvironmentCommandOutput>;
  /** DescribeJobQueues. */
  describeJobQueues(input: batch.DescribeJobQueuesCommandInput): Promise<batch.DescribeJobQueuesCommandOutput>;
  /** CreateJobQueue. */
  createJobQueue(input: batch.CreateJobQueueCommandInput): Promise<batch.CreateJobQueueCommandOutput>;
  /** UpdateJobQueue. */
  updateJobQueue(input: batch.UpdateJobQueueCommandInput): Promise<batch.UpdateJobQueueCommandOutput>;
  /** DeleteJobQueue. */
  deleteJobQueue(input: batch.DeleteJobQueueCommandInput): Promise<batch.DeleteJobQueueCommandOutput>;
  /** DescribeJobDefinitions. */
  describeJobDefinitions(
    input: batch.DescribeJobDefinitionsCommandInput,
  ): Promise<batch.DescribeJobDefinitionsCommandOutput>;
  /** RegisterJobDefinition. */
  registerJobDefinition(
    input: batch.RegisterJobDefinitionCommandInput,
  ): Promise<batch.RegisterJobDefinitionCommandOutput>;
  /** DeregisterJobDefinition. */
  deregisterJobDefinition(
    input: batch.DeregisterJobDefinitionCommandInput,
  ): Promise<batch.DeregisterJobDefinitionCommandOutput>;
  /** DescribeSchedulingPolicies. */
  describeSchedulingPolicies(
    input: batch.DescribeSchedulingPoliciesCommandInput,
  ): Promise<batch.DescribeSchedulingPoliciesCommandOutput>;
  /** ListSchedulingPolicies. */
  listSchedulingPolicies(
    input: batch.ListSchedulingPoliciesCommandInput,
  ): Promise<batch.ListSchedulingPoliciesCommandOutput>;
  /** CreateSchedulingPolicy. */
  createSchedulingPolicy(
    input: batch.CreateSchedulingPolicyCommandInput,
  ): Promise<batch.CreateSchedulingPolicyCommandOutput>;
  /** UpdateSchedulingPolicy. */
  updateSchedulingPolicy(
    input: batch.UpdateSchedulingPolicyCommandInput,
  ): Promise<batch.UpdateSchedulingPolicyCommandOutput>;
  /** DeleteSchedulingPolicy. */
  deleteSchedulingPolicy(
    input: batch.DeleteSchedulingPolicyCommandInput,
  ): Promise<batch.DeleteSchedulingPolicyCommandOutput>;
  /** SubmitJob. */
  submitJob(input: batch.SubmitJobCommandInput): Promise<batch.SubmitJobCommandOutput>;
  /** DescribeJobs. */
  describeJobs(input: batch.DescribeJobsCommandInput): Promise<batch.DescribeJobsCommandOutput>;
  /** ListJobs. */
  listJobs(input: batch.ListJobsCommandInput): Promise<batch.ListJobsCommandOutput>;
}

/** The CloudWatch Logs operations batchkit calls (`submit --follow` reads a job's log stream). */
export interface LogsApi {
  /** GetLogEvents. */
  getLogEvents(input: logs.GetLogEventsCommandInput): Promise<logs.GetLogEventsCommandOutput>;
}

/** The IAM operations batchkit calls. */
export interface IamApi {
  /** GetRole. */
  getRole(input: iam.GetRoleCommandInput): Promise<iam.GetRoleCommandOutput>;
  /** CreateRole. */
  createRole(input: iam.CreateRoleCommandInput): Promise<iam.CreateRoleCommandOutput>;
  /** UpdateAssumeRolePolicy. */
  updateAssumeRolePolicy(
    input: iam.UpdateAssumeRolePolicyCommandInput,
  ): Promise<iam.UpdateAssumeRolePolicyCommandOutput>;
  /** DeleteRole. */
  deleteRole(input: iam.DeleteRoleCommandInput): Promise<iam.DeleteRoleCommandOutput>;
  /** ListAttachedRolePolicies. */
  listAttachedRolePolicies(
    input: iam.ListAttachedRolePoliciesCommandInput,
  ): Promise<iam.ListAttachedRolePoliciesCommandOutput>;
  /** AttachRolePolicy. */
  attachRolePolicy(input: iam.AttachRolePolicyCommandInput): Promise<iam.AttachRolePolicyCommandOutput>;
  /** DetachRolePolicy. */
  detachRolePolicy(input: iam.DetachRolePolicyCommandInput): Promise<iam.DetachRolePolicyCommandOutput>;
  /** ListRolePolicies (inline policy names). */
  listRolePolicies(input: iam.ListRolePoliciesCommandInput): Promise<iam.ListRolePoliciesCommandOutput>;
  /** GetRolePolicy (an inline policy's document, URL-encoded). */
  getRolePolicy(input: iam.GetRolePolicyCommandInput): Promise<iam.GetRolePolicyCommandOutput>;
  /** PutRolePolicy. */
  putRolePolicy(input: iam.PutRolePolicyCommandInput): Promise<iam.PutRolePolicyCommandOutput>;
  /** DeleteRolePolicy. */
  deleteRolePolicy(input: iam.DeleteRolePolicyCommandInput): Promise<iam.DeleteRolePolicyCommandOutput>;
  /** GetInstanceProfile. */
  getInstanceProfile(input: iam.GetInstanceProfileCommandInput): Promise<iam.GetInstanceProfileCommandOutput>;
  /** CreateInstanceProfile. */
  createInstanceProfile(input: iam.CreateInstanceProfileCommandInput): Promise<iam.CreateInstanceProfileCommandOutput>;
  /** AddRoleToInstanceProfile. */
  addRoleToInstanceProfile(
    input: iam.AddRoleToInstanceProfileCommandInput,
  ): Promise<iam.AddRoleToInstanceProfileCommandOutput>;
  /** RemoveRoleFromInstanceProfile. */
  removeRoleFromInstanceProfile(
    input: iam.RemoveRoleFromInstanceProfileCommandInput,
  ): Promise<iam.RemoveRoleFromInstanceProfileCommandOutput>;
  /** DeleteInstanceProfile. */
  deleteInstanceProfile(input: iam.DeleteInstanceProfileCommandInput): Promise<iam.DeleteInstanceProfileCommandOutput>;
}

/** The EC2 operations batchkit calls. */
export interface Ec2Api {
  /** DescribeVpcs. */
  describeVpcs(input: ec2.DescribeVpcsCommandInput): Promise<ec2.DescribeVpcsCommandOutput>;
  /** DeleteVpc. */
  deleteVpc(input: ec2.DeleteVpcCommandInput): Promise<ec2.DeleteVpcCommandOutput>;
  /** DescribeSubnets. */
  describeSubnets(input: ec2.DescribeSubnetsCommandInput): Promise<ec2.DescribeSubnetsCommandOutput>;
  /** DeleteSubnet. */
  deleteSubnet(input: ec2.DeleteSubnetCommandInput): Promise<ec2.DeleteSubnetCommandOutput>;
  /** DescribeInternetGateways. */
  describeInternetGateways(
    input: ec2.DescribeInternetGatewaysCommandInput,
  ): Promise<ec2.DescribeInternetGatewaysCommandOutput>;
  /** DetachInternetGateway. */
  detachInternetGateway(input: ec2.DetachInternetGatewayCommandInput): Promise<ec2.DetachInternetGatewayCommandOutput>;
  /** DeleteInternetGateway. */
  deleteInternetGateway(input: ec2.DeleteInternetGatewayCommandInput): Promise<ec2.DeleteInternetGatewayCommandOutput>;
  /** DescribeNatGateways. */
  describeNatGateways(input: ec2.DescribeNatGatewaysCommandInput): Promise<ec2.DescribeNatGatewaysCommandOutput>;
  /** DeleteNatGateway. */
  deleteNatGateway(input: ec2.DeleteNatGatewayCommandInput): Promise<ec2.DeleteNatGatewayCommandOutput>;
  /** DescribeAddresses. */
  describeAddresses(input: ec2.DescribeAddressesCommandInput): Promise<ec2.DescribeAddressesCommandOutput>;
  /** ReleaseAddress. */
  releaseAddress(input: ec2.ReleaseAddressCommandInput): Promise<ec2.ReleaseAddressCommandOutput>;
  /** DescribeRouteTables. */
  describeRouteTables(input: ec2.DescribeRouteTablesCommandInput): Promise<ec2.DescribeRouteTablesCommandOutput>;
  /** DisassociateRouteTable. */
  disassociateRouteTable(
    input: ec2.DisassociateRouteTableCommandInput,
  ): Promise<ec2.DisassociateRouteTableCommandOutput>;
  /** DeleteRouteTable. */
  deleteRouteTable(input: ec2.DeleteRouteTableCommandInput): Promise<ec2.DeleteRouteTableCommandOutput>;
  /** DescribeSecurityGroups. */
  describeSecurityGroups(
    input: ec2.DescribeSecurityGroupsCommandInput,
  ): Promise<ec2.DescribeSecurityGroupsCommandOutput>;
  /** DeleteSecurityGroup. */
  deleteSecurityGroup(input: ec2.DeleteSecurityGroupCommandInput): Promise<ec2.DeleteSecurityGroupCommandOutput>;
  /** DescribeLaunchTemplates. */
  describeLaunchTemplates(
    input: ec2.DescribeLaunchTemplatesCommandInput,
  ): Promise<ec2.DescribeLaunchTemplatesCommandOutput>;
  /** DeleteLaunchTemplate. */
  deleteLaunchTemplate(input: ec2.DeleteLaunchTemplateCommandInput): Promise<ec2.DeleteLaunchTemplateCommandOutput>;
  /** DescribeVpcEndpoints. */
  describeVpcEndpoints(input: ec2.DescribeVpcEndpointsCommandInput): Promise<ec2.DescribeVpcEndpointsCommandOutput>;
  /** CreateVpc. */
  createVpc(input: ec2.CreateVpcCommandInput): Promise<ec2.CreateVpcCommandOutput>;
  /** ModifyVpcAttribute. */
  modifyVpcAttribute(input: ec2.ModifyVpcAttributeCommandInput): Promise<ec2.ModifyVpcAttributeCommandOutput>;
  /** CreateSubnet. */
  createSubnet(input: ec2.CreateSubnetCommandInput): Promise<ec2.CreateSubnetCommandOutput>;
  /** ModifySubnetAttribute. */
  modifySubnetAttribute(input: ec2.ModifySubnetAttributeCommandInput): Promise<ec2.ModifySubnetAttributeCommandOutput>;
  /** CreateInternetGateway. */
  createInternetGateway(input: ec2.CreateInternetGatewayCommandInput): Promise<ec2.CreateInternetGatewayCommandOutput>;
  /** AttachInternetGateway. */
  attachInternetGateway(input: ec2.AttachInternetGatewayCommandInput): Promise<ec2.AttachInternetGatewayCommandOutput>;
  /** AllocateAddress. */
  allocateAddress(input: ec2.AllocateAddressCommandInput): Promise<ec2.AllocateAddressCommandOutput>;
  /** CreateNatGateway. */
  createNatGateway(input: ec2.CreateNatGatewayCommandInput): Promise<ec2.CreateNatGatewayCommandOutput>;
  /** CreateRouteTable. */
  createRouteTable(input: ec2.CreateRouteTableCommandInput): Promise<ec2.CreateRouteTableCommandOutput>;
  /** CreateRoute. */
  createRoute(input: ec2.CreateRouteCommandInput): Promise<ec2.CreateRouteCommandOutput>;
  /** AssociateRouteTable. */
  associateRouteTable(input: ec2.AssociateRouteTableCommandInput): Promise<ec2.AssociateRouteTableCommandOutput>;
  /** CreateSecurityGroup. */
  createSecurityGroup(input: ec2.CreateSecurityGroupCommandInput): Promise<ec2.CreateSecurityGroupCommandOutput>;
  /** AuthorizeSecurityGroupIngress. */
  authorizeSecurityGroupIngress(
    input: ec2.AuthorizeSecurityGroupIngressCommandInput,
  ): Promise<ec2.AuthorizeSecurityGroupIngressCommandOutput>;
  /** AuthorizeSecurityGroupEgress. */
  authorizeSecurityGroupEgress(
    input: ec2.AuthorizeSecurityGroupEgressCommandInput,
  ): Promise<ec2.AuthorizeSecurityGroupEgressCommandOutput>;
  /** RevokeSecurityGroupEgress. */
  revokeSecurityGroupEgress(
    input: ec2.RevokeSecurityGroupEgressCommandInput,
  ): Promise<ec2.RevokeSecurityGroupEgressCommandOutput>;
  /** CreateLaunchTemplate. */
  createLaunchTemplate(input: ec2.CreateLaunchTemplateCommandInput): Promise<ec2.CreateLaunchTemplateCommandOutput>;
  /** DescribeVpcAttribute: one attribute (`enableDnsSupport`, `enableDnsHostnames`) per call. */
  describeVpcAttribute(input: ec2.DescribeVpcAttributeCommandInput): Promise<ec2.DescribeVpcAttributeCommandOutput>;
  /** DescribeLaunchTemplateVersions: the data of a launch template's `$Default` version. */
  describeLaunchTemplateVersions(
    input: ec2.DescribeLaunchTemplateVersionsCommandInput,
  ): Promise<ec2.DescribeLaunchTemplateVersionsCommandOutput>;
  /** CreateTags: user tags added or changed on an existing resource. */
  createTags(input: ec2.CreateTagsCommandInput): Promise<ec2.CreateTagsCommandOutput>;
  /** DeleteTags: user tags the template no longer has. */
  deleteTags(input: ec2.DeleteTagsCommandInput): Promise<ec2.DeleteTagsCommandOutput>;
  /** RevokeSecurityGroupIngress: ingress rules the template no longer has. */
  revokeSecurityGroupIngress(
    input: ec2.RevokeSecurityGroupIngressCommandInput,
  ): Promise<ec2.RevokeSecurityGroupIngressCommandOutput>;
  /** UpdateSecurityGroupRuleDescriptionsIngress: a kept ingress rule whose description changed. */
  updateSecurityGroupRuleDescriptionsIngress(
    input: ec2.UpdateSecurityGroupRuleDescriptionsIngressCommandInput,
  ): Promise<ec2.UpdateSecurityGroupRuleDescriptionsIngressCommandOutput>;
  /** UpdateSecurityGroupRuleDescriptionsEgress: a kept egress rule whose description changed. */
  updateSecurityGroupRuleDescriptionsEgress(
    input: ec2.UpdateSecurityGroupRuleDescriptionsEgressCommandInput,
  ): Promise<ec2.UpdateSecurityGroupRuleDescriptionsEgressCommandOutput>;
  /** ReplaceRoute: a route's new target, in place. */
  replaceRoute(input: ec2.ReplaceRouteCommandInput): Promise<ec2.ReplaceRouteCommandOutput>;
  /** ReplaceRouteTableAssociation: moves a subnet's association to another route table. */
  replaceRouteTableAssociation(
    input: ec2.ReplaceRouteTableAssociationCommandInput,
  ): Promise<ec2.ReplaceRouteTableAssociationCommandOutput>;
  /** CreateLaunchTemplateVersion: a new version with the template's full data. */
  createLaunchTemplateVersion(
    input: ec2.CreateLaunchTemplateVersionCommandInput,
  ): Promise<ec2.CreateLaunchTemplateVersionCommandOutput>;
  /** ModifyLaunchTemplate: makes a version the default. */
  modifyLaunchTemplate(input: ec2.ModifyLaunchTemplateCommandInput): Promise<ec2.ModifyLaunchTemplateCommandOutput>;
}

/** The services, as the provisioner receives them. */
export interface ProvisionerClients {
  /** AWS Batch. */
  readonly batch: BatchApi;
  /** IAM. */
  readonly iam: IamApi;
  /** EC2. */
  readonly ec2: Ec2Api;
  /** Amazon ECR (docker image assets). */
  readonly ecr: EcrApi;
}
