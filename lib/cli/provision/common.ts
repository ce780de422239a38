/**
 * Flags shared by the provisioning commands: where the app is, which stacks, and how to reach AWS
 * (region, profile, endpoints; credentials come from the standard SDK chain), and `--yes`.
 */
import type { Command } from 'commander';
import { loadBatchModel } from '../../core/assembly';
import { BatchkitError } from '../../core/errors';
import type { BatchModel } from '../../core/model/batch-model';
import { DEFAULT_APP, DEFAULT_POLL_SECONDS, LOCAL_SERVE_URL } from '../defaults';
import type { LogsApi, ProvisionerClients } from '../../provisioner/clients/interfaces';
import { addLoaderOptions, loaderOptionsFrom, notLoadedLines, type LoaderFlags } from '../loader-options';

/** AWS connection flags. */
export interface AwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  iamEndpointUrl?: string;
  ec2EndpointUrl?: string;
  ecrEndpointUrl?: string;
  /** `--logs-endpoint-url` (`submit --follow`). */
  logsEndpointUrl?: string;
  pollSeconds?: string;
}

/** App flags. */
export interface AppOptions extends LoaderFlags {
  app?: string;
  stack?: string[];
  /** `--account`: the account of environment-agnostic stacks. */
  account?: string;
  /** `--region` (from {@link withAwsOptions}): also the region of environment-agnostic stacks. */
  region?: string;
}

/**
 * Adds `--account`, the account environment-agnostic stacks are resolved for, and the loader's
 * `--parameter-overrides` and `--nested` (every command with it loads the app through {@link loadApp}).
 */
export function withAccountOption(cmd: Command): Command {
  return addLoaderOptions(cmd).option(
    '--account <id>',
    'AWS account id of environment-agnostic stacks (their ARNs and the CDK ' +
      'bootstrap asset repository name; --region gives their region). ' +
      'Default: the placeholder 123456789012, which blocks image asset pushes',
  );
}

/** Adds `--region`, `--profile` and `--endpoint-url` (AWS Batch). */
export function withAwsOptions(cmd: Command): Command {
  return cmd
    .option('--region <region>', 'AWS region (default: the SDK chain: AWS_REGION, the profile)')
    .option('--profile <name>', 'named profile of ~/.aws/config (default: AWS_PROFILE or default)')
    .option('--endpoint-url <url>', `AWS Batch endpoint, e.g. ${LOCAL_SERVE_URL} for batchkit local serve`);
}

/** The services besides Batch a command calls, each with its `--<service>-endpoint-url`. */
export type OtherService = 'iam' | 'ec2' | 'ecr' | 'logs';

const SERVICE_HELP: Record<OtherService, string> = {
  iam: 'IAM endpoint (default: AWS)',
  ec2: 'EC2 endpoint (default: AWS)',
  ecr: 'Amazon ECR endpoint, for pushing docker image assets (default: AWS)',
  logs: 'CloudWatch Logs endpoint, for --follow (default: --endpoint-url when given, else AWS)',
};

/**
 * Adds the endpoint flag of each service the command calls: `--iam-endpoint-url`, `--ec2-endpoint-url`,
 * `--ecr-endpoint-url`, `--logs-endpoint-url`.
 */
export function withServiceEndpoints(cmd: Command, services: readonly OtherService[]): Command {
  for (const service of services) cmd.option(`--${service}-endpoint-url <url>`, SERVICE_HELP[service]);
  return cmd;
}

/** Adds `--poll-seconds`, for the commands that wait for AWS (`apply`, `destroy`, `submit`). */
export function withPollOption(cmd: Command): Command {
  return cmd.option('--poll-seconds <n>', 'seconds between status checks while waiting', String(DEFAULT_POLL_SECONDS));
}

/**
 * True when only Batch has a custom endpoint (`--endpoint-url` without `--iam-endpoint-url`,
 * `--ec2-endpoint-url` and `--ecr-endpoint-url`): the target is a Batch API such as `batchkit local
 * serve`, so IAM, EC2 and ECR are neither provisioned nor read (and never reached on real AWS by
 * accident); docker image assets are not pushed.
 */
export function batchOnly(opts: AwsOptions): boolean {
  return (
    opts.endpointUrl !== undefined &&
    opts.iamEndpointUrl === undefined &&
    opts.ec2EndpointUrl === undefined &&
    opts.ecrEndpointUrl === undefined
  );
}

/** The stderr note printed in {@link batchOnly} mode. */
export const BATCH_ONLY_NOTE =
  'batchkit: --endpoint-url without --iam-endpoint-url/--ec2-endpoint-url: only AWS Batch resources are ' +
  'handled; IAM roles, instance profiles, EC2 networking and ECR (image assets) are left alone.';

/** Milliseconds from --poll-seconds. */
export function pollMs(opts: AwsOptions): number {
  const n = Number(opts.pollSeconds ?? DEFAULT_POLL_SECONDS);
  if (!Number.isFinite(n) || n <= 0) {
    throw new BatchkitError(
      'BATCHKIT-CLI-PROVISION-001',
      'input',
      `--poll-seconds "${opts.pollSeconds}" is not a positive number.`,
      { fix: 'pass e.g. --poll-seconds 5' },
    );
  }
  return Math.round(n * 1000);
}

/**
 * The clients the flags describe. The AWS SDK (about 250 ms to load) is imported here, on first
 * use, so commands that do not call AWS start without it.
 */
export async function clientsFrom(opts: AwsOptions): Promise<ProvisionerClients> {
  checkEndpointUrls(opts);
  const { createClients } = await import('../../provisioner/clients/factory');
  return createClients({
    region: opts.region,
    profile: opts.profile,
    batchEndpoint: opts.endpointUrl,
    iamEndpoint: opts.iamEndpointUrl,
    ec2Endpoint: opts.ec2EndpointUrl,
    ecrEndpoint: opts.ecrEndpointUrl,
  });
}

/**
 * The CloudWatch Logs API of `submit --follow`: `--logs-endpoint-url`, else `--endpoint-url` (`batchkit local
 * serve` serves Logs on its Batch port), else AWS. `@aws-sdk/client-cloudwatch-logs` is imported here, on use.
 */
export async function logsClientFrom(opts: AwsOptions): Promise<LogsApi> {
  checkEndpointUrls(opts);
  const { createLogsApi } = await import('../../provisioner/clients/logs-client');
  return createLogsApi({ region: opts.region, profile: opts.profile }, opts.logsEndpointUrl ?? opts.endpointUrl);
}

function checkEndpointUrls(opts: AwsOptions): void {
  for (const [flag, url] of [
    ['--endpoint-url', opts.endpointUrl],
    ['--iam-endpoint-url', opts.iamEndpointUrl],
    ['--ec2-endpoint-url', opts.ec2EndpointUrl],
    ['--ecr-endpoint-url', opts.ecrEndpointUrl],
    ['--logs-endpoint-url', opts.logsEndpointUrl],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^/]+/.test(url)) {
      throw new BatchkitError('BATCHKIT-CLI-PROVISION-001', 'input', `${flag} "${url}" is not an http(s) URL.`, {
        fix: `pass e.g. ${flag} ${LOCAL_SERVE_URL}`,
      });
    }
  }
}

/**
 * Loads the app (`--app`, default cdk.out) with the --stack filter; environment-agnostic stacks
 * are resolved for `--account` and `--region` when given.
 */
export function loadApp(opts: AppOptions): BatchModel {
  if (opts.account !== undefined && !/^\d{12}$/.test(opts.account)) {
    throw new BatchkitError(
      'BATCHKIT-CLI-PROVISION-006',
      'input',
      `--account "${opts.account}" is not an AWS account id (12 digits).`,
      {
        fix:
          'pass the 12-digit id of the account you deploy to, e.g. --account ' +
          '111122223333 (aws sts get-caller-identity shows it).',
      },
    );
  }
  const environment = {
    ...(opts.account !== undefined ? { account: opts.account } : {}),
    ...(opts.region !== undefined ? { region: opts.region } : {}),
  };
  const model = loadBatchModel(opts.app ?? DEFAULT_APP, {
    stacks: opts.stack,
    ...loaderOptionsFrom(opts),
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
  });
  for (const line of notLoadedLines(model)) progress(`batchkit: note: ${line}`);
  return model;
}

/** Stack names of a model's resources (the `batchkit:stack` tag values). */
export function stacksOf(model: BatchModel): string[] {
  const all = [
    ...model.computeEnvironments,
    ...model.jobQueues,
    ...model.jobDefinitions,
    ...model.schedulingPolicies,
    ...model.roles,
    ...model.instanceProfiles,
  ];
  return [...new Set(all.map((r) => r.source?.stack).filter((s): s is string => s !== undefined))].sort();
}

/** Progress on stderr. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
