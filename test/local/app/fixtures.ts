/**
 * Shared pieces of the app tests: an in-memory AppExecutor whose jobs end as the test says, and small
 * app models (functions with inline code, topics, queues).
 */
import type { AppModel, LambdaFunctionModel } from '../../../lib/core/model/app';
import type { BatchJobEvent } from '../../../lib/core/model/events';
import type { JobDetail, SubmitJobRequest, SubmitJobResponse } from '../../../lib/core/model/job';
import type { AppExecutor } from '../../../lib/local/app/local-app';

/** An executor of jobs that end at once with the status `outcome(request)` picks. */
export class FakeExecutor implements AppExecutor {
  readonly submitted: SubmitJobRequest[] = [];
  private readonly listeners = new Set<(e: BatchJobEvent) => void>();
  constructor(
    private readonly outcome: (req: SubmitJobRequest, n: number) => 'SUCCEEDED' | 'FAILED' = () => 'SUCCEEDED',
  ) {}

  onEvent(listener: (e: BatchJobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: BatchJobEvent): void {
    for (const l of this.listeners) l(e);
  }

  submitJob(req: SubmitJobRequest): SubmitJobResponse {
    if (!req.jobQueue) throw new Error('SubmitJob jobQueue: required');
    this.submitted.push(req);
    const jobId = `job-${this.submitted.length}`;
    return { jobId, jobName: req.jobName, jobArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}` };
  }

  detail(jobId: string): JobDetail {
    const n = Number(jobId.split('-')[1]);
    const req = this.submitted[n - 1];
    const status = this.outcome(req, n);
    return {
      jobId,
      jobName: req.jobName,
      jobQueue: req.jobQueue,
      jobDefinition: req.jobDefinition,
      status,
      ...(status === 'FAILED' ? { statusReason: 'Essential container in task exited' } : {}),
      parameters: { 'my-Key': 'v' },
      createdAt: 1,
    } as JobDetail;
  }

  async waitForJob(jobId: string): Promise<JobDetail> {
    return this.detail(jobId);
  }

  describeJobs(jobIds: string[]): JobDetail[] {
    return jobIds.map((id) => this.detail(id));
  }
}

/** A Node.js function with inline code. */
export function nodeFunction(
  name: string,
  source: string,
  extra: Partial<LambdaFunctionModel> = {},
): LambdaFunctionModel {
  return {
    logicalId: name,
    stack: 'S',
    functionName: name,
    arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
    qualifiedArns: [],
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    environment: {},
    timeoutSeconds: 10,
    memoryMiB: 128,
    code: { kind: 'inline', source },
    source: { stack: 'S', logicalId: name },
    ...extra,
  };
}

/** An app with only what `parts` gives. */
export function appModel(parts: Partial<AppModel>): AppModel {
  return { rules: [], functions: [], stateMachines: [], topics: [], queues: [], notes: [], ...parts };
}

export const ENV = { region: 'us-east-1', account: '123456789012', partition: 'aws' };
