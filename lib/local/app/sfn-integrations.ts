/**
 * Step Functions service integrations wired to the local app: `batch:submitJob` (and `.sync`, which
 * waits for the job and returns it in DescribeJobs' shape; a FAILED job fails the task with
 * `States.TaskFailed`, as on AWS, so `Retry`/`Catch` behave), `lambda:invoke` and plain function ARNs
 * (the local Lambda runner), `sns:publish` and `sqs:sendMessage` (the outbox). Every other resource
 * is unsupported: the execution fails before it starts, naming the state and the resource.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html
 */
import type { JobDetail, SubmitJobRequest } from '../../core/model/job';
import type { LocalApp } from './local-app';

/** An error a task fails with: `name` is the Step Functions error name `Retry`/`Catch` match. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Runs one Task state's resource with its effective input (after InputPath and Parameters). */
export type TaskHandler = (
  app: LocalApp,
  input: unknown,
  where: { execution: string; state: string },
) => Promise<unknown>;

const MAP_KEYS = new Set(['parameters', 'tags', 'Parameters', 'Tags']);

/** Re-cases every key's first letter, recursively, except the user keys of parameters/tags maps. */
export function recase(v: unknown, first: (c: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => recase(x, first));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[first(k[0] ?? '') + k.slice(1)] = MAP_KEYS.has(k) ? x : recase(x, first);
  return out;
}

const lower = (c: string) => c.toLowerCase();
const upper = (c: string) => c.toUpperCase();

function obj(input: unknown): Record<string, unknown> {
  return input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}

function submit(app: LocalApp, input: unknown): { jobId: string; jobName: string; jobArn?: string } {
  const req = recase(obj(input), lower) as unknown as SubmitJobRequest;
  try {
    return app.executor.submitJob(req);
  } catch (e) {
    throw new TaskError('Batch.ClientException', (e as Error).message);
  }
}

/** DescribeJobs' job, as the Batch integration returns it (PascalCase keys). */
export function describedJob(job: JobDetail): unknown {
  return recase(job, upper);
}

const submitJob: TaskHandler = async (app, input) => {
  const r = submit(app, input);
  return { JobArn: r.jobArn, JobId: r.jobId, JobName: r.jobName };
};

const submitJobSync: TaskHandler = async (app, input) => {
  const r = submit(app, input);
  const job = await app.executor.waitForJob(r.jobId);
  if (job.status !== 'SUCCEEDED') throw new TaskError('States.TaskFailed', JSON.stringify(describedJob(job)));
  return describedJob(job);
};

async function invokeFunction(
  app: LocalApp,
  arn: string,
  payload: unknown,
  where: { execution: string; state: string },
): Promise<{ result: unknown; requestId: string }> {
  const fn = app.functionFor(arn);
  if (!fn)
    throw new TaskError(
      'Lambda.ResourceNotFoundException',
      `Function not found: ${arn} (no Lambda function of the app has this name or ARN)`,
    );
  const rec = await app.lambda.invoke(fn, payload, `execution ${where.execution} state ${where.state}`);
  app.store.addInvocation(rec);
  if (rec.status !== 'Succeeded') {
    throw new TaskError(
      rec.error?.errorType ?? 'Lambda.Unknown',
      JSON.stringify({ errorType: rec.error?.errorType, errorMessage: rec.error?.errorMessage }),
    );
  }
  return { result: rec.result, requestId: rec.requestId };
}

const lambdaInvoke: TaskHandler = async (app, input, where) => {
  const p = obj(input);
  const name = String(p.FunctionName ?? '');
  const { result, requestId } = await invokeFunction(app, name, p.Payload ?? {}, where);
  return {
    ExecutedVersion: '$LATEST',
    Payload: result,
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
};

const snsPublish: TaskHandler = async (app, input, where) => {
  const p = obj(input);
  const message = typeof p.Message === 'string' ? p.Message : JSON.stringify(p.Message ?? null);
  const id = app.publish(
    String(p.TopicArn ?? p.TargetArn ?? ''),
    message,
    `execution ${where.execution} state ${where.state}`,
    typeof p.Subject === 'string' ? p.Subject : undefined,
  );
  return { MessageId: id, SdkHttpMetadata: { HttpStatusCode: 200 } };
};

const sqsSend: TaskHandler = async (app, input, where) => {
  const p = obj(input);
  const body = typeof p.MessageBody === 'string' ? p.MessageBody : JSON.stringify(p.MessageBody ?? null);
  const id = app.send(String(p.QueueUrl ?? ''), body, `execution ${where.execution} state ${where.state}`);
  const { createHash } = await import('node:crypto');
  return { MessageId: id, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
};

/** The handler of a Task state's `Resource`, or undefined when batchkit does not run it locally. */
export function integrationFor(resource: string): TaskHandler | undefined {
  const m = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z]+)(\.sync(:2)?|\.waitForTaskToken)?$/.exec(resource);
  if (m) {
    const [, service, action, pattern] = m;
    if (pattern === '.waitForTaskToken') return undefined;
    if (service === 'batch' && action === 'submitJob') return pattern ? submitJobSync : submitJob;
    if (pattern) return undefined;
    if (service === 'lambda' && action === 'invoke') return lambdaInvoke;
    if (service === 'sns' && action === 'publish') return snsPublish;
    if (service === 'sqs' && action === 'sendMessage') return sqsSend;
    return undefined;
  }
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) {
    return async (app, input, where) => (await invokeFunction(app, resource, input, where)).result;
  }
  return undefined;
}

/** Integrations batchkit runs, for error messages. */
export const SUPPORTED_INTEGRATIONS = [
  'arn:aws:states:::batch:submitJob',
  'arn:aws:states:::batch:submitJob.sync',
  'arn:aws:states:::lambda:invoke',
  'arn:aws:lambda:<region>:<account>:function:<name>',
  'arn:aws:states:::sns:publish',
  'arn:aws:states:::sqs:sendMessage',
];
