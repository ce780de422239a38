/**
 * The Batch model of a whole stack, assembled from what batchkit constructs register, so the
 * cross-resource rules (a job no queue can place, mixed queues, ...) run once per stack at synth —
 * the same rules `batchkit validate` runs on the synthesized template.
 */
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { batchArn } from '../../core/model/arn';
import { DEFAULT_DEPLOYMENT_ENVIRONMENT, emptyBatchModel, type BatchModel } from '../../core/model/batch-model';
import type { LoadedComputeEnvironment } from '../../core/model/compute-environment';
import type { JobDefinition } from '../../core/model/job-definition';
import type { JobQueue, SchedulingPolicy } from '../../core/model/job-queue';
import { CROSS_RESOURCE_RULES } from '../../core/rules/cross-resource';
import type { Finding } from '../../core/rules/finding';
import { runRules, type Rule } from '../../core/rules/rule';
import type { IComputeEnvironment } from '../compute/compute-environment-base';

/** A queue as the stack model needs it: its model and its compute environments, read at validation time. */
export interface RegisteredQueue {
  /** The queue construct. */
  readonly scope: IConstruct;
  /** The queue's model (compute environment references are replaced by the stack model). */
  model(): JobQueue;
  /** The environments, in the order of `model().computeEnvironmentOrder`. */
  computeEnvironments(): IComputeEnvironment[];
}

/** Key of a compute environment in the stack model: its name when known, else its construct path. */
export function ceKey(ce: IComputeEnvironment): string {
  const name = ce.computeEnvironmentName;
  if (!Token.isUnresolved(name)) return name;
  return ce.node.path.replace(/[^A-Za-z0-9_-]/g, '-').slice(-128);
}

/** Per-stack registry of batchkit resources; validates the stack once with the cross-resource rules. */
export class StackBatchModel {
  private static readonly byStack = new WeakMap<Stack, StackBatchModel>();

  /** The registry of `scope`'s stack, created (with its stack validation) on first use. */
  public static of(scope: IConstruct): StackBatchModel {
    const stack = Stack.of(scope);
    let reg = StackBatchModel.byStack.get(stack);
    if (!reg) {
      reg = new StackBatchModel();
      StackBatchModel.byStack.set(stack, reg);
      const r = reg;
      stack.node.addValidation({ validate: () => r.validate() });
    }
    return reg;
  }

  /** Rules the stack validation runs; tests may replace them. */
  public rules: readonly Rule[] = CROSS_RESOURCE_RULES;
  private readonly jobDefinitions: Array<{ scope: IConstruct; model: JobDefinition }> = [];
  private readonly queues: RegisteredQueue[] = [];
  private readonly policies: Array<{ scope: IConstruct; model: () => SchedulingPolicy }> = [];

  private constructor() {}

  /** An empty model in the stack model's environment. */
  public static empty(): BatchModel {
    return emptyBatchModel(DEFAULT_DEPLOYMENT_ENVIRONMENT);
  }

  /** Adds a job definition. */
  public addJobDefinition(scope: IConstruct, model: JobDefinition): void {
    this.jobDefinitions.push({ scope, model });
  }

  /** Adds a job queue. */
  public addJobQueue(queue: RegisteredQueue): void {
    this.queues.push(queue);
  }

  /** Adds a scheduling policy. */
  public addSchedulingPolicy(scope: IConstruct, model: () => SchedulingPolicy): void {
    this.policies.push({ scope, model });
  }

  /** The stack's Batch model, with compute environments named by {@link ceKey}. */
  public build(): BatchModel {
    const env = DEFAULT_DEPLOYMENT_ENVIRONMENT;
    const ces = new Map<string, LoadedComputeEnvironment>();
    const jobQueues = this.queues.map((q) => {
      const model = q.model();
      const envs = q.computeEnvironments();
      const order = model.computeEnvironmentOrder.map((o, i) => {
        const ce = envs[i];
        if (!ce?.model) return o;
        const key = ceKey(ce);
        const arn = batchArn(env, 'compute-environment', key);
        if (!ces.has(key)) {
          ces.set(key, {
            ...ce.model,
            computeEnvironmentName: key,
            computeEnvironmentArn: arn,
            source: { constructPath: ce.node.path },
          });
        }
        return { order: o.order, computeEnvironment: arn };
      });
      return { ...model, computeEnvironmentOrder: order, source: { constructPath: q.scope.node.path } };
    });
    return {
      ...emptyBatchModel(env),
      jobDefinitions: this.jobDefinitions.map((j) => ({ ...j.model, source: { constructPath: j.scope.node.path } })),
      jobQueues,
      computeEnvironments: [...ces.values()],
      schedulingPolicies: this.policies.map((p) => ({ ...p.model(), source: { constructPath: p.scope.node.path } })),
    };
  }

  /** Runs the rules over the stack model: errors are returned (synth fails), warnings annotate the resource. */
  public validate(): string[] {
    if (this.rules.length === 0) return [];
    const findings = runRules(this.rules, this.build());
    return this.report(findings);
  }

  private report(findings: readonly Finding[]): string[] {
    const errors: string[] = [];
    for (const f of findings) {
      if (f.severity === 'error') errors.push(`[${f.code}] ${f.message}`);
      else if (f.severity === 'warning') {
        const target = this.findScope(f.resource.source?.constructPath);
        if (target) Annotations.of(target).addWarningV2(f.code, `[${f.code}] ${f.message}`);
      }
    }
    return errors;
  }

  private findScope(path: string | undefined): IConstruct | undefined {
    if (!path) return undefined;
    const all: IConstruct[] = [
      ...this.jobDefinitions.map((j) => j.scope),
      ...this.queues.map((q) => q.scope),
      ...this.queues.flatMap((q) => q.computeEnvironments()),
      ...this.policies.map((p) => p.scope),
    ];
    return all.find((c) => c.node.path === path);
  }
}
