/**
 * The CloudWatch Logs client, in its own module so that only `submit --follow` loads
 * `@aws-sdk/client-cloudwatch-logs` (the CLI imports this file when the flag is given).
 */
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import { baseConfig, caller, silenceSdkNodeWarning, type ClientOptions } from './factory';
import type { LogsApi } from './interfaces';
import type { RetryPolicy } from './retry';

/** Wraps a CloudWatch Logs client in {@link LogsApi}. */
export function logsApi(client: logs.CloudWatchLogsClient, policy?: RetryPolicy): LogsApi {
  const call = caller(policy);
  return {
    getLogEvents: (i) => call(() => client.send(new logs.GetLogEventsCommand(i))),
  };
}

/** A CloudWatch Logs API at `endpoint` (e.g. `batchkit local serve`, which serves Logs on its Batch port). */
export function createLogsApi(options: ClientOptions, endpoint: string | undefined): LogsApi {
  silenceSdkNodeWarning();
  return logsApi(new logs.CloudWatchLogsClient(baseConfig(options, endpoint)), options.retry);
}
