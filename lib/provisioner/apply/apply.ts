/**
 * `apply`: executes a plan in dependency order with bounded parallelism. A replaced compute
 * environment is retired (disabled, deleted) only after every queue that used it points at its
 * replacement, so no queue is ever left without an environment. A failure stops new steps; the
 * report says what was done and what was not, and running apply again converges. Docker image
 * assets are built and pushed to ECR before the job definitions that use them are registered.
 */
import { BatchkitError } from '../../core/errors';
import type { ProvisionerClients } from '../clients/interfaces';
import type { Plan, PlanAction } from '../plan/plan';
import type { ApplyContext, Resolved } from './context';
import { runGraph, type GraphStep } from './graph';
import { applyInstanceProfile, applyRole } from './iam-steps';
import { applyNetwork } from './network-steps';
import type { DockerCliOptions } from './docker-cli';
import { applyImageAsset } from './image-steps';
import { updateNetwork } from './network-updates';
import { activeRevisions } from '../plan/observe';
import {
  applyComputeEnvironment,
  applyJobDefinition,
  applyJobQueue,
  applySchedulingPolicy,
  deleteQueue,
  retireComputeEnvironment,
} from './batch-steps';
import { PROVISION_ERRORS, type WaitOptions } from './waiters';

/** Asks the user a yes/no question (`Apply these changes?`); resolves true to go on. */
export type Confirm = (question: string) => Promise<boolean>;

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  /**
   * Steps running at the same time.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Waiting for compute environments and queues.
   * @default - poll every 5 s for up to 30 min
   */
  readonly wait?: WaitOptions;
  /**
   * Milliseconds to let a newly created IAM role propagate before Batch uses it.
   * @default 10000
   */
  readonly iamSettleMs?: number;
  /**
   * Progress messages.
   * @default - none
   */
  readonly onProgress?: (message: string) => void;
  /**
   * Asked once, after the blockers are checked and before the first change, when the plan has
   * anything to do; declining changes nothing (the report has `declined: true`).
   * @default - nothing is asked
   */
  readonly confirm?: Confirm;
  /**
   * How the docker CLI is run to build and push image assets.
   * @default - `docker` on PATH, this process's environment
   */
  readonly docker?: DockerCliOptions;
}

/** One step that failed. */
export interface FailedStep {
  /** Step id (a resource key, or `retire:<key>`). */
  readonly step: string;
  /** The error message. */
  readonly message: string;
}

/** What apply did. */
export interface ApplyReport {
  /** True when every step finished. */
  readonly ok: boolean;
  /** True when the confirmation was declined: no step ran. */
  readonly declined: boolean;
  /** Finished steps, in order. */
  readonly done: string[];
  /** Failed steps. */
  readonly failed: FailedStep[];
  /** Steps not started because of a failure. */
  readonly notDone: string[];
  /** Real name and ARN of every resource known at the end. */
  readonly resources: Record<string, Resolved>;
}

function deleteStep(ctx: ApplyContext, a: PlanAction): () => Promise<void> {
  switch (a.kind) {
    case 'JobQueue':
      return () => deleteQueue(ctx, a.name, undefined);
    case 'ComputeEnvironment':
      return () => retireComputeEnvironment(ctx, a.name);
    case 'SchedulingPolicy':
      return async () => {
        await ctx.clients.batch.deleteSchedulingPolicy({ arn: a.existing?.arn ?? a.name });
      };
    case 'JobDefinition':
      return async () => {
        for (const d of await activeRevisions(ctx.clients, a.name))
          await ctx.clients.batch.deregisterJobDefinition({ jobDefinition: d.jobDefinitionArn });
      };
    default:
      return async () => {
        throw new BatchkitError(
          PROVISION_ERRORS.failed,
          'internal',
          `batchkit does not delete ${a.kind} ${a.name} during apply.`,
          { fix: 'Use `batchkit destroy`.' },
        );
      };
  }
}

function stepFor(ctx: ApplyContext, a: PlanAction): () => Promise<void> {
  const r = a.desired;
  if (a.action === 'delete' || !r) return deleteStep(ctx, a);
  switch (r.kind) {
    case 'IamRole':
      return () => applyRole(ctx, a, r);
    case 'InstanceProfile':
      return () => applyInstanceProfile(ctx, a, r);
    case 'SchedulingPolicy':
      return () => applySchedulingPolicy(ctx, a, r);
    case 'ComputeEnvironment':
      return () => applyComputeEnvironment(ctx, a, r);
    case 'JobQueue':
      return () => applyJobQueue(ctx, a, r);
    case 'JobDefinition':
      return () => applyJobDefinition(ctx, r);
    case 'Network':
      return a.action === 'create' ? () => applyNetwork(ctx, r) : () => updateNetwork(ctx, a, r);
    case 'ImageAsset':
      return () => applyImageAsset(ctx, a, r);
  }
}

/** The steps of a plan: one per changed resource, plus a retire step per replaced environment. */
export function planSteps(ctx: ApplyContext, plan: Plan): GraphStep[] {
  const steps: GraphStep[] = [];
  for (const a of plan.actions) {
    if (a.action === 'no-op') continue;
    steps.push({ id: a.key, dependsOn: a.dependsOn, run: stepFor(ctx, a) });
    if (a.kind === 'ComputeEnvironment' && a.action === 'replace' && a.existing) {
      const oldName = a.existing.name;
      const users = plan.actions.filter((q) => q.kind === 'JobQueue' && q.dependsOn.includes(a.key)).map((q) => q.key);
      steps.push({
        id: `retire:${a.key}`,
        dependsOn: [a.key, ...users],
        run: () => retireComputeEnvironment(ctx, oldName),
      });
    }
  }
  return steps;
}

/**
 * Executes the plan. Refuses a plan with blockers (nothing is called). Never throws for a failed
 * step: the report lists it.
 */
export async function applyPlan(
  plan: Plan,
  clients: ProvisionerClients,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  if (plan.blockers.length > 0) {
    throw new BatchkitError(
      PROVISION_ERRORS.blocked,
      'input',
      `The plan has ${plan.blockers.length} blocker(s); nothing was changed:\n  ${plan.blockers.join('\n  ')}`,
      {
        fix: 'Resolve each blocker as it says, then run `batchkit apply` again.',
      },
    );
  }
  const resolved = new Map<string, Resolved>(Object.entries(plan.existing));
  const log = options.onProgress ?? (() => undefined);
  const ctx: ApplyContext = {
    clients,
    resolved,
    wait: { ...options.wait, onProgress: options.wait?.onProgress ?? log },
    iamSettleMs: options.iamSettleMs ?? 10000,
    ...(options.docker ? { docker: options.docker } : {}),
    log,
  };
  const steps = planSteps(ctx, plan);
  if (steps.length > 0 && options.confirm && !(await options.confirm('Apply these changes?'))) {
    return {
      ok: false,
      declined: true,
      done: [],
      failed: [],
      notDone: steps.map((s) => s.id),
      resources: Object.fromEntries(resolved),
    };
  }
  const result = await runGraph(steps, options.concurrency ?? 4);
  return {
    ok: result.failed.length === 0,
    declined: false,
    done: result.done,
    failed: result.failed.map((f) => ({
      step: f.id,
      message: f.error instanceof Error ? f.error.message : String(f.error),
    })),
    notDone: result.notDone,
    resources: Object.fromEntries(resolved),
  };
}

/** The report as text. */
export function renderApplyReport(report: ApplyReport): string {
  if (report.declined) return 'Apply cancelled: nothing was changed.\n';
  let out = '';
  for (const d of report.done) out += `done      ${d}\n`;
  for (const f of report.failed) out += `FAILED    ${f.step}: ${f.message}\n`;
  for (const n of report.notDone) out += `not done  ${n}\n`;
  out += report.ok
    ? `Apply complete: ${report.done.length} step(s).\n`
    : `Apply stopped: ${report.done.length} done, ${report.failed.length} ` +
      `failed, ${report.notDone.length} not started. Fix the failure and run ` +
      `\`batchkit apply\` again: it continues from what exists.\n`;
  return out;
}
