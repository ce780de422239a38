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

/** The configuration every client gets: region, profile, credentials, the endpoint, no SDK retries. */
export function baseConfig(options: ClientOptions, endpoint: string | undefined) {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 1,
  };
}

/** Runs one SDK call under the retry policy (the client's `send` types the output by the command). */
export function caller(policy: RetryPolicy | undefined) {
  return <T>(send: () => Promise<T>): Promise<T> => retrying(send, policy);
}

/** Wraps a Batch client in {@link BatchApi}. */
export function batchApi(client: batch.BatchClient, policy?: RetryPolicy): BatchApi {
  const call = caller(policy);
  return {
    describeComputeEnvironments: (i) => call(() => client.send(new batch.DescribeComputeEnvironmentsCommand(i))),
    createComputeEnvironment: (i) => call(() => client.send(new batch.CreateComputeEnvironmentCommand(i))),
    updateComputeEnvironment: (i) => call(() => client.send(new batch.UpdateComputeEnvironmentCommand(i))),
    deleteComputeEnvironment: (i) => call(() => client.send(new batch.DeleteComputeEnvironmentCommand(i))),
    describeJobQueues: (i) => call(() => client.send(new batch.DescribeJobQueuesCommand(i))),
    createJobQueue: (i) => call(() => client.send(new batch.CreateJobQueueCommand(i))),
    updateJobQueue: (i) => call(() => client.send(new batch.UpdateJobQueueCommand(i))),
    deleteJobQueue: (i) => call(() => client.send(new batch.DeleteJobQueueCommand(i))),
    describeJobDefinitions: (i) => call(() => client.send(new batch.DescribeJobDefinitionsCommand(i))),
    registerJobDefinition: (i) => call(() => client.send(new batch.RegisterJobDefinitionCommand(i))),
    deregisterJobDefinition: (i) => call(() => client.send(new batch.DeregisterJobDefinitionCommand(i))),
    describeSchedulingPolicies: (i) => call(() => client.send(new batch.DescribeSchedulingPoliciesCommand(i))),
    listSchedulingPolicies: (i) => call(() => client.send(new batch.ListSchedulingPoliciesCommand(i))),
    createSchedulingPolicy: (i) => call(() => client.send(new batch.CreateSchedulingPolicyCommand(i))),
    updateSchedulingPolicy: (i) => call(() => client.send(new batch.UpdateSchedulingPolicyCommand(i))),
    deleteSchedulingPolicy: (i) => call(() => client.send(new batch.DeleteSchedulingPolicyCommand(i))),
    submitJob: (i) => call(() => client.send(new batch.SubmitJobCommand(i))),
    describeJobs: (i) => call(() => client.send(new batch.DescribeJobsCommand(i))),
    listJobs: (i) => call(() => client.send(new batch.ListJobsCommand(i))),
  };
}

/** Wraps an IAM client in {@link IamApi}. */
export function iamApi(client: iam.IAMClient, policy?: RetryPolicy): IamApi {
  const call = caller(policy);
  return {
    getRole: (i) => call(() => client.send(new iam.GetRoleCommand(i))),
    createRole: (i) => call(() => client.send(new iam.CreateRoleCommand(i))),
    updateAssumeRolePolicy: (i) => call(() => client.send(new iam.UpdateAssumeRolePolicyCommand(i))),
    deleteRole: (i) => call(() => client.send(new iam.DeleteRoleCommand(i))),
    listAttachedRolePolicies: (i) => call(() => client.send(new iam.ListAttachedRolePoliciesCommand(i))),
    attachRolePolicy: (i) => call(() => client.send(new iam.AttachRolePolicyCommand(i))),
    detachRolePolicy: (i) => call(() => client.send(new iam.DetachRolePolicyCommand(i))),
    listRolePolicies: (i) => call(() => client.send(new iam.ListRolePoliciesCommand(i))),
    getRolePolicy: (i) => call(() => client.send(new iam.GetRolePolicyCommand(i))),
    putRolePolicy: (i) => call(() => client.send(new iam.PutRolePolicyCommand(i))),
    deleteRolePolicy: (i) => call(() => client.send(new iam.DeleteRolePolicyCommand(i))),
    getInstanceProfile: (i) => call(() => client.send(new iam.GetInstanceProfileCommand(i))),
    createInstanceProfile: (i) => call(() => client.send(new iam.CreateInstanceProfileCommand(i))),
    addRoleToInstanceProfile: (i) => call(() => client.send(new iam.AddRoleToInstanceProfileCommand(i))),
    removeRoleFromInstanceProfile: (i) => call(() => client.send(new iam.RemoveRoleFromInstanceProfileCommand(i))),
    deleteInstanceProfile: (i) => call(() => client.send(new iam.DeleteInstanceProfileCommand(i))),
  };
}

/** Wraps an EC2 client in {@link Ec2Api}. */
export function ec2Api(client: ec2.EC2Client, policy?: RetryPolicy): Ec2Api {
  const call = caller(policy);
  return {
    describeVpcs: (i) => call(() => client.send(new ec2.DescribeVpcsCommand(i))),
    deleteVpc: (i) => call(() => client.send(new ec2.DeleteVpcCommand(i))),
    describeSubnets: (i) => call(() => client.send(new ec2.DescribeSubnetsCommand(i))),
    deleteSubnet: (i) => call(() => client.send(new ec2.DeleteSubnetCommand(i))),
    describeInternetGateways: (i) => call(() => client.send(new ec2.DescribeInternetGatewaysCommand(i))),
    detachInternetGateway: (i) => call(() => client.send(new ec2.DetachInternetGatewayCommand(i))),
    deleteInternetGateway: (i) => call(() => client.send(new ec2.DeleteInternetGatewayCommand(i))),
    describeNatGateways: (i) => call(() => client.send(new ec2.DescribeNatGatewaysCommand(i))),
    deleteNatGateway: (i) => call(() => client.send(new ec2.DeleteNatGatewayCommand(i))),
    describeAddresses: (i) => call(() => client.send(new ec2.DescribeAddressesCommand(i))),
    releaseAddress: (i) => call(() => client.send(new ec2.ReleaseAddressCommand(i))),
    describeRouteTables: (i) => call(() => client.send(new ec2.DescribeRouteTablesCommand(i))),
    disassociateRouteTable: (i) => call(() => client.send(new ec2.DisassociateRouteTableCommand(i))),
    deleteRouteTable: (i) => call(() => client.send(new ec2.DeleteRouteTableCommand(i))),
    describeSecurityGroups: (i) => call(() => client.send(new ec2.DescribeSecurityGroupsCommand(i))),
    deleteSecurityGroup: (i) => call(() => client.send(new ec2.DeleteSecurityGroupCommand(i))),
    describeLaunchTemplates: (i) => call(() => client.send(new ec2.DescribeLaunchTemplatesCommand(i))),
    deleteLaunchTemplate: (i) => call(() => client.send(new ec2.DeleteLaunchTemplateCommand(i))),
    describeVpcEndpoints: (i) => call(() => client.send(new ec2.DescribeVpcEndpointsCommand(i))),
    createVpc: (i) => call(() => client.send(new ec2.CreateVpcCommand(i))),
    modifyVpcAttribute: (i) => call(() => client.send(new ec2.ModifyVpcAttributeCommand(i))),
    createSubnet: (i) => call(() => client.send(new ec2.CreateSubnetCommand(i))),
    modifySubnetAttribute: (i) => call(() => client.send(new ec2.ModifySubnetAttributeCommand(i))),
    createInternetGateway: (i) => call(() => client.send(new ec2.CreateInternetGatewayCommand(i))),
    attachInternetGateway: (i) => call(() => client.send(new ec2.AttachInternetGatewayCommand(i))),
    allocateAddress: (i) => call(() => client.send(new ec2.AllocateAddressCommand(i))),
    createNatGateway: (i) => call(() => client.send(new ec2.CreateNatGatewayCommand(i))),
    createRouteTable: (i) => call(() => client.send(new ec2.CreateRouteTableCommand(i))),
    createRoute: (i) => call(() => client.send(new ec2.CreateRouteCommand(i))),
    associateRouteTable: (i) => call(() => client.send(new ec2.AssociateRouteTableCommand(i))),
    createSecurityGroup: (i) => call(() => client.send(new ec2.CreateSecurityGroupCommand(i))),
    authorizeSecurityGroupIngress: (i) => call(() => client.send(new ec2.AuthorizeSecurityGroupIngressCommand(i))),
    authorizeSecurityGroupEgress: (i) => call(() => client.send(new ec2.AuthorizeSecurityGroupEgressCommand(i))),
    revokeSecurityGroupEgress: (i) => call(() => client.send(new ec2.RevokeSecurityGroupEgressCommand(i))),
    createLaunchTemplate: (i) => call(() => client.send(new ec2.CreateLaunchTemplateCommand(i))),
    describeVpcAttribute: (i) => call(() => client.send(new ec2.DescribeVpcAttributeCommand(i))),
    describeLaunchTemplateVersions: (i) => call(() => client.send(new ec2.DescribeLaunchTemplateVersionsCommand(i))),
    createTags: (i) => call(() => client.send(new ec2.CreateTagsCommand(i))),
    deleteTags: (i) => call(() => client.send(new ec2.DeleteTagsCommand(i))),
    revokeSecurityGroupIngress: (i) => call(() => client.send(new ec2.RevokeSecurityGroupIngressCommand(i))),
    updateSecurityGroupRuleDescriptionsIngress: (i) =>
      call(() => client.send(new ec2.UpdateSecurityGroupRuleDescriptionsIngressCommand(i))),
    updateSecurityGroupRuleDescriptionsEgress: (i) =>
      call(() => client.send(new ec2.UpdateSecurityGroupRuleDescriptionsEgressCommand(i))),
    replaceRoute: (i) => call(() => client.send(new ec2.ReplaceRouteCommand(i))),
    replaceRouteTableAssociation: (i) => call(() => client.send(new ec2.ReplaceRouteTableAssociationCommand(i))),
    createLaunchTemplateVersion: (i) => call(() => client.send(new ec2.CreateLaunchTemplateVersionCommand(i))),
    modifyLaunchTemplate: (i) => call(() => client.send(new ec2.ModifyLaunchTemplateCommand(i))),
  };
}

/** Wraps an ECR client in {@link EcrApi}. */
export function ecrApi(client: ecr.ECRClient, policy?: RetryPolicy): EcrApi {
  const call = caller(policy);
  return {
    describeRepositories: (i) => call(() => client.send(new ecr.DescribeRepositoriesCommand(i))),
    createRepository: (i) => call(() => client.send(new ecr.CreateRepositoryCommand(i))),
    deleteRepository: (i) => call(() => client.send(new ecr.DeleteRepositoryCommand(i))),
    describeImages: (i) => call(() => client.send(new ecr.DescribeImagesCommand(i))),
    getAuthorizationToken: (i) => call(() => client.send(new ecr.GetAuthorizationTokenCommand(i))),
    listTagsForResource: (i) => call(() => client.send(new ecr.ListTagsForResourceCommand(i))),
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
