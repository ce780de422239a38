/**
 * The app around the jobs, run locally: the assembly's EventBridge rules are matched against every
 * event the executor emits, and their targets are delivered to (Lambda functions on the host, Batch
 * job queues of the executor, Step Functions executions, SNS topics and SQS queues into the outbox;
 * any other target is recorded with a note). Delivery is at least once and in event order per rule:
 * each rule has its own FIFO chain, and a Lambda invocation is queued (in order) on the runner
 * rather than awaited, so a slow or failing function never holds up the executor or other rules.
 *
 * Lambda targets are invoked asynchronously, as EventBridge does: a function error or timeout is
 * retried twice, 60 s and then 120 s later (Lambda's asynchronous invocation policy), the waits
 * divided by `timeScale`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type {
  AppModel,
  EventRuleModel,
  LambdaFunctionModel,
  RuleTargetModel,
  SnsTopicModel,
} from '../../core/model/app';
import type { BatchJobEvent } from '../../core/model/events';
import type { JobDetail, SubmitJobRequest, SubmitJobResponse } from '../../core/model/job';
import { matchesPattern, type EventPattern } from '../events/pattern';
import { AppStore, type OutboxMessage } from './app-store';
import { LambdaRunner, type FunctionLogLine, type InvocationRecord } from './lambda-runner';
import { targetInput } from './target-input';
import type { StepFunctionsRunner } from './step-functions';

/** The part of the executor the app uses: its events and its public job API. */
export interface AppExecutor {
  onEvent(listener: (e: BatchJobEvent) => void): () => void;
  submitJob(req: SubmitJobRequest): SubmitJobResponse;
  waitForJob(jobId: string): Promise<JobDetail>;
  describeJobs(jobIds: string[]): JobDetail[];
}

/** Options of {@link LocalApp}. */
export interface LocalAppOptions {
  /** The app (from `loadAppModel`). */
  readonly app: AppModel;
  /** The executor whose events the rules see and whose queues Batch targets submit to. */
  readonly executor: AppExecutor;
  /** Job store directory (the app's records go to `<store>/app`), or `':memory:'`. */
  readonly storeDir: string;
  /** Region, account and partition of ARNs. */
  readonly env: { readonly region: string; readonly account: string; readonly partition: string };
  /** Divides the retry waits (as `--time-scale` does for job timers). @default 1 */
  readonly timeScale?: number;
  /** Lambda invocations at once. @default 2 */
  readonly lambdaConcurrency?: number;
  /** Waits before the retries of a failed asynchronous Lambda invocation, in seconds. @default [60, 120] */
  readonly lambdaRetryDelaysSeconds?: readonly number[];
  /** Match rules against the executor's events. @default true */
  readonly rules?: boolean;
  /** Progress lines (rule fired, function failed, ...). @default - none */
  readonly onActivity?: (line: string) => void;
  /** Each line a function writes. @default - none */
  readonly onFunctionLog?: (line: FunctionLogLine) => void;
}

/** What one target of one rule did. */
export interface TargetAction {
  /** Rule name. */
  readonly rule: string;
  /** Target id. */
  readonly targetId: string;
  /** Target kind. */
  readonly kind: RuleTargetModel['kind'];
  /** What happened, in words (`invoked notify: Succeeded`, `submitted job 1234`, `published to topic X`). */
  readonly outcome: string;
}

/** The rules that fired and what their targets did. */
export interface RuleSummary {
  /** Rule name. */
  readonly rule: string;
  /** Logical id. */
  readonly logicalId: string;
  /** Events it matched. */
  readonly matched: number;
  /** What its targets did, in order. */
  readonly actions: readonly TargetAction[];
}

/** The app around the jobs, attached to an executor. */
export class LocalApp {
  /** The app's records (outbox, invocations, executions). */
  readonly store: AppStore;
  /** The Lambda runner. */
  readonly lambda: LambdaRunner;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly matched = new Map<string, number>();
  private readonly actions: TargetAction[] = [];
  private readonly unsubscribe: () => void;
  private sfn?: StepFunctionsRunner;
  private readonly rules: EventRuleModel[];
  /** Work directory of an in-memory app, removed by {@link close}. */
  private readonly tempDir?: string;

  constructor(private readonly options: LocalAppOptions) {
    this.store = new AppStore(options.storeDir);
    this.tempDir = this.store.dir ? undefined : mkdtempSync(path.join(tmpdir(), 'batchkit-lambda-'));
    const workDir = this.tempDir ?? path.join(this.store.dir ?? tmpdir(), 'lambda');
    this.lambda = new LambdaRunner({
      workDir,
      env: options.env,
      maxConcurrency: options.lambdaConcurrency,
      onLog: options.onFunctionLog,
    });
    this.rules =
      options.rules === false
        ? []
        : options.app.rules.filter(
            (r) => r.state.startsWith('ENABLED') && r.eventPattern && r.eventBusName === 'default',
          );
    this.unsubscribe = this.rules.length > 0 ? options.executor.onEvent((e) => this.onEvent(e)) : () => undefined;
  }

  /** The app model. */
  get app(): AppModel {
    return this.options.app;
  }

  /** Rules matched against the executor's events (enabled, with a pattern, on the default bus). */
  activeRules(): readonly EventRuleModel[] {
    return this.rules;
  }

  /** The Step Functions runner (aws-local-stepfunctions is loaded on first use). */
  stepFunctions(): StepFunctionsRunner {
    if (!this.sfn) {
      // Loaded lazily: the interpreter (and what it imports) costs start-up time.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { StepFunctionsRunner: Runner } = require('./step-functions') as typeof import('./step-functions');
      this.sfn = new Runner(this);
    }
    return this.sfn;
  }

  /** The executor. */
  get executor(): AppExecutor {
    return this.options.executor;
  }

  /** Progress line. */
  activity(line: string): void {
    this.options.onActivity?.(line);
  }

  /** Region/account/partition. */
  get env(): LocalAppOptions['env'] {
    return this.options.env;
  }

  private ruleArn(rule: EventRuleModel): string {
    const { partition, region, account } = this.options.env;
    return `arn:${partition}:events:${region}:${account}:rule/${rule.name}`;
  }

  private onEvent(event: BatchJobEvent): void {
    for (const rule of this.rules) {
      if (!matchesPattern(rule.eventPattern as EventPattern, event)) continue;
      const key = `${rule.stack}/${rule.logicalId}`;
      this.matched.set(key, (this.matched.get(key) ?? 0) + 1);
      const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.deliver(rule, event));
      this.chains.set(key, next);
      this.track(next);
    }
  }

  /** Keeps `p` until it settles, for {@link waitForIdle}. */
  track<T>(p: Promise<T>): Promise<T> {
    const guarded = p.catch((e: unknown) => this.activity(`internal error in the app runner: ${(e as Error).message}`));
    this.pending.add(guarded);
    void guarded.finally(() => this.pending.delete(guarded));
    return p;
  }

  private record(rule: EventRuleModel, target: RuleTargetModel, outcome: string): void {
    this.actions.push({ rule: rule.name, targetId: target.id, kind: target.kind, outcome });
  }

  private async deliver(rule: EventRuleModel, event: BatchJobEvent): Promise<void> {
    this.activity(
      `rule ${rule.name} matched ${event['detail-type']} of ${event.detail.jobName} (${event.detail.jobId}, ` +
        `${event.detail.status})`,
    );
    for (const target of rule.targets) {
      const from = `rule ${rule.name} target ${target.id}`;
      let input: unknown;
      try {
        input = targetInput(target, event, { ruleArn: this.ruleArn(rule), ruleName: rule.name });
      } catch (e) {
        this.record(rule, target, `not delivered: ${(e as Error).message}`);
        continue;
      }
      try {
        this.record(rule, target, this.dispatch(target, input, from));
      } catch (e) {
        this.record(rule, target, `failed: ${(e as Error).message}`);
      }
    }
  }

  /** Sends `input` to one target; returns what was done, in words. */
  private dispatch(target: RuleTargetModel, input: unknown, from: string): string {
    switch (target.kind) {
      case 'lambda': {
        const fn = this.functionFor(target.arn, target.logicalId);
        if (!fn) return `not delivered: no Lambda function of the app has the ARN ${target.arn}`;
        this.invokeAsync(fn, input, from);
        return `invoked Lambda function ${fn.functionName} (asynchronously)`;
      }
      case 'batch': {
        const p = target.batchParameters;
        if (!p) return 'not delivered: a Batch target needs BatchParameters';
        const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
        const res = this.options.executor.submitJob({
          jobName: p.jobName,
          jobQueue: target.arn,
          jobDefinition: p.jobDefinition,
          ...(p.arraySize !== undefined ? { arrayProperties: { size: p.arraySize } } : {}),
          ...(p.attempts !== undefined ? { retryStrategy: { attempts: p.attempts } } : {}),
          ...(isStringMap(body.Parameters) ? { parameters: body.Parameters } : {}),
        });
        return `submitted job ${p.jobName} (${res.jobId})`;
      }
      case 'state-machine': {
        const machine = this.options.app.stateMachines.find(
          (m) => m.arn === target.arn || m.logicalId === target.logicalId,
        );
        if (!machine) return `not delivered: no state machine of the app has the ARN ${target.arn}`;
        const run = this.stepFunctions().start(machine, input, from);
        return `started execution ${run.name} of ${machine.name}`;
      }
      case 'sns': {
        const topic = this.options.app.topics.find((t) => t.arn === target.arn || t.logicalId === target.logicalId);
        const id = this.publish(
          topic?.arn ?? target.arn,
          typeof input === 'string' ? input : JSON.stringify(input),
          from,
          undefined,
          topic,
        );
        return `published message ${id} to topic ${topic?.name ?? target.arn} (outbox)`;
      }
      case 'sqs': {
        const queue = this.options.app.queues.find((q) => q.arn === target.arn || q.logicalId === target.logicalId);
        const id = this.send(queue?.url ?? target.arn, typeof input === 'string' ? input : JSON.stringify(input), from);
        return `sent message ${id} to queue ${queue?.name ?? target.arn} (outbox)`;
      }
      default:
        return (
          `recorded, not delivered: batchkit does not run targets of this type ` +
          `locally (${target.arn.split(':')[2] ?? 'unknown service'}: ${target.arn})`
        );
    }
  }

  /** The function an ARN (plain, alias or version) or logical id names. */
  functionFor(arn: string, logicalId?: string): LambdaFunctionModel | undefined {
    const fns = this.options.app.functions;
    return (
      fns.find((f) => f.arn === arn || f.functionName === arn || f.qualifiedArns.includes(arn)) ??
      fns.find((f) => f.logicalId === logicalId) ??
      fns.find((f) => arn.startsWith(`${f.arn}:`))
    );
  }

  /** Invokes a function as an asynchronous invocation: retried twice on error (Lambda's policy). */
  invokeAsync(fn: LambdaFunctionModel, event: unknown, trigger: string): Promise<InvocationRecord> {
    const delays = this.options.lambdaRetryDelaysSeconds ?? [60, 120];
    const scale = this.options.timeScale ?? 1;
    const attempt = async (n: number): Promise<InvocationRecord> => {
      const rec = await this.lambda.invoke(fn, event, trigger, n);
      this.store.addInvocation(rec);
      this.activity(
        `Lambda ${fn.functionName} (${trigger}) attempt ${n}: ${rec.status}` +
          `${rec.error ? ` ${rec.error.errorType}: ${rec.error.errorMessage}` : ''}`,
      );
      if (rec.status === 'Succeeded' || n > delays.length) return rec;
      await new Promise((r) => setTimeout(r, (delays[n - 1] * 1000) / scale));
      return attempt(n + 1);
    };
    return this.track(attempt(1));
  }

  /** Records an SNS publish in the outbox and delivers it to the topic's Lambda and SQS subscriptions. */
  publish(topicArn: string, message: string, from: string, subject?: string, known?: SnsTopicModel): string {
    const messageId = randomUUID();
    const time = new Date().toISOString();
    this.store.addMessage({
      kind: 'sns',
      destination: topicArn,
      messageId,
      message,
      ...(subject !== undefined ? { subject } : {}),
      from,
      time,
    });
    const topic = known ?? this.options.app.topics.find((t) => t.arn === topicArn);
    for (const sub of topic?.subscriptions ?? []) {
      const envelope = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: topicArn,
        ...(subject !== undefined ? { Subject: subject } : {}),
        Message: message,
        Timestamp: time,
        SignatureVersion: '1',
      };
      if (sub.protocol === 'lambda') {
        const fn = this.functionFor(sub.endpoint);
        if (fn)
          this.invokeAsync(
            fn,
            {
              Records: [
                {
                  EventSource: 'aws:sns',
                  EventVersion: '1.0',
                  EventSubscriptionArn: `${topicArn}:${messageId}`,
                  Sns: { ...envelope, MessageAttributes: {} },
                },
              ],
            },
            `sns ${topic?.name ?? topicArn}`,
          );
      } else if (sub.protocol === 'sqs') {
        const queue = this.options.app.queues.find((q) => q.arn === sub.endpoint);
        this.send(
          queue?.url ?? sub.endpoint,
          sub.rawMessageDelivery ? message : JSON.stringify(envelope),
          `sns ${topic?.name ?? topicArn}`,
        );
      }
    }
    return messageId;
  }

  /** Records an SQS message in the outbox. */
  send(queueUrl: string, body: string, from: string): string {
    const messageId = randomUUID();
    const m: OutboxMessage = {
      kind: 'sqs',
      destination: queueUrl,
      messageId,
      message: body,
      from,
      time: new Date().toISOString(),
    };
    this.store.addMessage(m);
    return messageId;
  }

  /** True while a rule delivery, Lambda invocation or execution is under way. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves when every rule delivery, Lambda invocation (with its retries) and execution has ended. */
  async waitForIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The rules that fired, with what their targets did. */
  summary(): RuleSummary[] {
    return this.rules
      .filter((r) => this.matched.has(`${r.stack}/${r.logicalId}`))
      .map((r) => ({
        rule: r.name,
        logicalId: r.logicalId,
        matched: this.matched.get(`${r.stack}/${r.logicalId}`) ?? 0,
        actions: this.actions.filter((a) => a.rule === r.name),
      }));
  }

  /** Stops matching new events (deliveries under way go on; await {@link waitForIdle} first to see them end). */
  close(): void {
    this.unsubscribe();
    if (this.tempDir && !this.busy) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function isStringMap(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}
