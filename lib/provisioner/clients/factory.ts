/**
 * The one place real SDK clients are built. Region, profile, credentials and endpoints come from
 * the standard AWS SDK chain unless given; `batchEndpoint` points the Batch client anywhere (e.g.
 * `batchkit local serve`). Every call goes through {@link retrying}: the SDK's own retries are
 * switched off so there is one retry policy, the one tests can see.
 */
import * as batch from '@aws-sdk/client-batch';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecr from '@aws-sdk/client-ecr';
import * as iam from '@aws-sdk/client-iam';
import type { BatchApi, Ec2Api, EcrApi, IamApi, ProvisionerClients } from './interfaces';
import { retrying, type RetryPolicy } from './retry';

/** Static credentials. */
export interface StaticCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /**
   * Session token.
   * @default - none
   */
  readonly sessionToken?: string;
}

/** Options of {@link createClients}. */
export interface ClientOptions {
  /**
   * Region.
   * @default - the SDK chain (AWS_REGION, the profile's region)
   */
  readonly region?: string;
  /**
   * Named profile of the shared config/credentials files.
   * @default - the SDK chain (AWS_PROFILE or `default`)
   */
  readonly profile?: string;
  /**
   * Credentials.
   * @default - the SDK chain (environment, profile, SSO, container, instance metadata)
   */
  readonly credentials?: StaticCredentials;
  /**
   * Endpoint for AWS Batch, e.g. `http://127.0.0.1:8000` for `batchkit local serve`.
   * @default - the regional AWS endpoint
   */
  readonly batchEndpoint?: string;
  /**
   * Endpoint for IAM.
   * @default - the AWS endpoint
   */
  readonly iamEndpoint?: string;
  /**
   * Endpoint for EC2.
   * @default - the regional AWS endpoint
   */
  readonly ec2Endpoint?: string;
  /**
   * Endpoint for Amazon ECR.
   * @default - the regional AWS endpoint
   */
  readonly ecrEndpoint?: string;
  /**
   * Retries on throttling and transient errors.
   * @default - 8 attempts, 200 ms doubling backoff with jitter
   */
  readonly retry?: RetryPolicy;
}

/** Environment variable that makes this SDK version skip its "Node.js 22 required soon" warning. */
export const SDK_NODE_WARNING_ENV = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Keeps the SDK's Node.js support warning (emitted once, at the first client construction) out of
 * the CLI's output. It reads {@link SDK_NODE_WARNING_ENV}; an explicit value set by the user wins.
 */
export function silenceSdkNodeWarning(): void {
  if (!process.env[SDK_NODE_WARNING_ENV]) process.env[SDK_NODE_WARNING_ENV] = 'true';
}

interface Sender {
  send(command: unknown): Promise<unknown>;
}

function baseConfig(options: ClientOptions, endpoint: string | undefined) {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 1,
  };
}

function caller(client: Sender, policy: RetryPolicy | undefined) {
  return <T>(command: unknown): Promise<T> => retrying(() => client.send(command) as Promise<T>, policy);
}

/** Wraps a Batch client in {@link BatchApi}. */
export function batchApi(client: batch.BatchClient, policy?: RetryPolicy): BatchApi {
  const call = caller(client as unknown as Sender, policy);
  return {
    describeComputeEnvironments: (i) => call(new batch.DescribeComputeEnvironmentsCommand(i)),
    createComputeEnvironment: (i) => call(new batch.CreateComputeEnvironmentCommand(i)),
    updateComputeEnvironment: (i) => call(new batch.UpdateComputeEnvironmentCommand(i)),
    deleteComputeEnvironment: (i) => call(new batch.DeleteComputeEnvironmentCommand(i)),
    describeJobQueues: (i) => call(new batch.DescribeJobQueuesCommand(i)),
    createJobQueue: (i) => call(new batch.CreateJobQueueCommand(i)),
    updateJobQueue: (i) => call(new batch.UpdateJobQueueCommand(i)),
    deleteJobQueue: (i) => call(new batch.DeleteJobQueueCommand(i)),
    describeJobDefinitions: (i) => call(new batch.DescribeJobDefinitionsCommand(i)),
    registerJobDefinition: (i) => call(new batch.RegisterJobDefinitionCommand(i)),
    deregisterJobDefinition: (i) => call(new batch.DeregisterJobDefinitionCommand(i)),
    describeSchedulingPolicies: (i) => call(new batch.DescribeSchedulingPoliciesCommand(i)),
    listSchedulingPolicies: (i) => call(new batch.ListSchedulingPoliciesCommand(i)),
    createSchedulingPolicy: (i) => call(new batch.CreateSchedulingPolicyCommand(i)),
    updateSchedulingPolicy: (i) => call(new batch.UpdateSchedulingPolicyCommand(i)),
    deleteSchedulingPolicy: (i) => call(new batch.DeleteSchedulingPolicyCommand(i)),
    submitJob: (i) => call(new batch.SubmitJobCommand(i)),
    describeJobs: (i) => call(new batch.DescribeJobsCommand(i)),
    listJobs: (i) => call(new batch.ListJobsCommand(i)),
  };
}

/** Wraps an IAM client in {@link IamApi}. */
export function iamApi(client: iam.IAMClient, policy?: RetryPolicy): IamApi {
  const call = caller(client as unknown as Sender, policy);
  return {
    getRole: (i) => call(new iam.GetRoleCommand(i)),
    createRole: (i) => call(new iam.CreateRoleCommand(i)),
    updateAssumeRolePolicy: (i) => call(new iam.UpdateAssumeRolePolicyCommand(i)),
    deleteRole: (i) => call(new iam.DeleteRoleCommand(i)),
    listAttachedRolePolicies: (i) => call(new iam.ListAttachedRolePoliciesCommand(i)),
    attachRolePolicy: (i) => call(new iam.AttachRolePolicyCommand(i)),
    detachRolePolicy: (i) => call(new iam.DetachRolePolicyCommand(i)),
    listRolePolicies: (i) => call(new iam.ListRolePoliciesCommand(i)),
    getRolePolicy: (i) => call(new iam.GetRolePolicyCommand(i)),
    putRolePolicy: (i) => call(new iam.PutRolePolicyCommand(i)),
    deleteRolePolicy: (i) => call(new iam.DeleteRolePolicyCommand(i)),
    getInstanceProfile: (i) => call(new iam.GetInstanceProfileCommand(i)),
    createInstanceProfile: (i) => call(new iam.CreateInstanceProfileCommand(i)),
    addRoleToInstanceProfile: (i) => call(new iam.AddRoleToInstanceProfileCommand(i)),
    removeRoleFromInstanceProfile: (i) => call(new iam.RemoveRoleFromInstanceProfileCommand(i)),
    deleteInstanceProfile: (i) => call(new iam.DeleteInstanceProfileCommand(i)),
  };
}

/** Wraps an EC2 client in {@link Ec2Api}. */
export function ec2Api(client: ec2.EC2Client, policy?: RetryPolicy): Ec2Api {
  const call = caller(client as unknown as Sender, policy);
  return {
    describeVpcs: (i) => call(new ec2.DescribeVpcsCommand(i)),
    deleteVpc: (i) => call(new ec2.DeleteVpcCommand(i)),
    describeSubnets: (i) => call(new ec2.DescribeSubnetsCommand(i)),
    deleteSubnet: (i) => call(new ec2.DeleteSubnetCommand(i)),
    describeInternetGateways: (i) => call(new ec2.DescribeInternetGatewaysCommand(i)),
    detachInternetGateway: (i) => call(new ec2.DetachInternetGatewayCommand(i)),
    deleteInternetGateway: (i) => call(new ec2.DeleteInternetGatewayCommand(i)),
    describeNatGateways: (i) => call(new ec2.DescribeNatGatewaysCommand(i)),
    deleteNatGateway: (i) => call(new ec2.DeleteNatGatewayCommand(i)),
    describeAddresses: (i) => call(new ec2.DescribeAddressesCommand(i)),
    releaseAddress: (i) => call(new ec2.ReleaseAddressCommand(i)),
    describeRouteTables: (i) => call(new ec2.DescribeRouteTablesCommand(i)),
    disassociateRouteTable: (i) => call(new ec2.DisassociateRouteTableCommand(i)),
    deleteRouteTable: (i) => call(new ec2.DeleteRouteTableCommand(i)),
    describeSecurityGroups: (i) => call(new ec2.DescribeSecurityGroupsCommand(i)),
    deleteSecurityGroup: (i) => call(new ec2.DeleteSecurityGroupCommand(i)),
    describeLaunchTemplates: (i) => call(new ec2.DescribeLaunchTemplatesCommand(i)),
    deleteLaunchTemplate: (i) => call(new ec2.DeleteLaunchTemplateCommand(i)),
    describeVpcEndpoints: (i) => call(new ec2.DescribeVpcEndpointsCommand(i)),
    createVpc: (i) => call(new ec2.CreateVpcCommand(i)),
    modifyVpcAttribute: (i) => call(new ec2.ModifyVpcAttributeCommand(i)),
    createSubnet: (i) => call(new ec2.CreateSubnetCommand(i)),
    modifySubnetAttribute: (i) => call(new ec2.ModifySubnetAttributeCommand(i)),
    createInternetGateway: (i) => call(new ec2.CreateInternetGatewayCommand(i)),
    attachInternetGateway: (i) => call(new ec2.AttachInternetGatewayCommand(i)),
    allocateAddress: (i) => call(new ec2.AllocateAddressCommand(i)),
    createNatGateway: (i) => call(new ec2.CreateNatGatewayCommand(i)),
    createRouteTable: (i) => call(new ec2.CreateRouteTableCommand(i)),
    createRoute: (i) => call(new ec2.CreateRouteCommand(i)),
    associateRouteTable: (i) => call(new ec2.AssociateRouteTableCommand(i)),
    createSecurityGroup: (i) => call(new ec2.CreateSecurityGroupCommand(i)),
    authorizeSecurityGroupIngress: (i) => call(new ec2.AuthorizeSecurityGroupIngressCommand(i)),
    authorizeSecurityGroupEgress: (i) => call(new ec2.AuthorizeSecurityGroupEgressCommand(i)),
    revokeSecurityGroupEgress: (i) => call(new ec2.RevokeSecurityGroupEgressCommand(i)),
    createLaunchTemplate: (i) => call(new ec2.CreateLaunchTemplateCommand(i)),
    describeVpcAttribute: (i) => call(new ec2.DescribeVpcAttributeCommand(i)),
    describeLaunchTemplateVersions: (i) => call(new ec2.DescribeLaunchTemplateVersionsCommand(i)),
    createTags: (i) => call(new ec2.CreateTagsCommand(i)),
    deleteTags: (i) => call(new ec2.DeleteTagsCommand(i)),
    revokeSecurityGroupIngress: (i) => call(new ec2.RevokeSecurityGroupIngressCommand(i)),
    updateSecurityGroupRuleDescriptionsIngress: (i) => call(new ec2.UpdateSecurityGroupRuleDescriptionsIngressCommand(i)),
    updateSecurityGroupRuleDescriptionsEgress: (i) => call(new ec2.UpdateSecurityGroupRuleDescriptionsEgressCommand(i)),
    replaceRoute: (i) => call(new ec2.ReplaceRouteCommand(i)),
    replaceRouteTableAssociation: (i) => call(new ec2.ReplaceRouteTableAssociationCommand(i)),
    createLaunchTemplateVersion: (i) => call(new ec2.CreateLaunchTemplateVersionCommand(i)),
    modifyLaunchTemplate: (i) => call(new ec2.ModifyLaunchTemplateCommand(i)),
  };
}

/** Wraps an ECR client in {@link EcrApi}. */
export function ecrApi(client: ecr.ECRClient, policy?: RetryPolicy): EcrApi {
  const call = caller(client as unknown as Sender, policy);
  return {
    describeRepositories: (i) => call(new ecr.DescribeRepositoriesCommand(i)),
    createRepository: (i) => call(new ecr.CreateRepositoryCommand(i)),
    deleteRepository: (i) => call(new ecr.DeleteRepositoryCommand(i)),
    describeImages: (i) => call(new ecr.DescribeImagesCommand(i)),
    getAuthorizationToken: (i) => call(new ecr.GetAuthorizationTokenCommand(i)),
    listTagsForResource: (i) => call(new ecr.ListTagsForResourceCommand(i)),
  };
}

/** Builds the clients from one set of options. */
export function createClients(options: ClientOptions = {}): ProvisionerClients {
  silenceSdkNodeWarning();
  return {
    batch: batchApi(new batch.BatchClient(baseConfig(options, options.batchEndpoint)), options.retry),
    iam: iamApi(new iam.IAMClient(baseConfig(options, options.iamEndpoint)), options.retry),
    ec2: ec2Api(new ec2.EC2Client(baseConfig(options, options.ec2Endpoint)), options.retry),
    ecr: ecrApi(new ecr.ECRClient(baseConfig(options, options.ecrEndpoint)), options.retry),
  };
}
