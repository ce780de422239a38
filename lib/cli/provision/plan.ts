/** `batchkit plan` and `batchkit apply`. */
import type { Command } from 'commander';
import { applyPlan, renderApplyReport } from '../../provisioner/apply/apply';
import { createPlan, renderPlan, type Plan } from '../../provisioner/plan/plan';
import { EXIT } from '../exit';
import type { BatchModel } from '../../core/model/batch-model';
import type { ProvisionerClients } from '../../provisioner/clients/interfaces';
import { DEFAULT_APP, DEFAULT_APPLY_CONCURRENCY, DEFAULT_IAM_SETTLE_SECONDS } from '../defaults';
import {
  BATCH_ONLY_NOTE,
  batchOnly,
  clientsFrom,
  loadApp,
  pollMs,
  progress,
  withAccountOption,
  withAwsOptions,
  withPollOption,
  withServiceEndpoints,
  type AppOptions,
  type AwsOptions,
} from './common';
import { cliConfirm } from './confirm';
import { stackOption } from '../options';

interface PlanOptions extends AppOptions, AwsOptions {
  json?: boolean;
  concurrency?: string;
  iamSettleSeconds?: string;
  yes?: boolean;
}

/** The plan as JSON: each action without the desired spec's internals. */
export function planJson(plan: Plan): unknown {
  return {
    actions: plan.actions.map((a) => ({ key: a.key, kind: a.kind, name: a.name, stack: a.stack, action: a.action, reasons: a.reasons, changes: a.changes, dependsOn: a.dependsOn, existing: a.existing })),
    blockers: plan.blockers,
  };
}

/** Plans the app; against a Batch-only endpoint without its IAM and EC2 resources and image assets. */
async function planApp(model: BatchModel, clients: ProvisionerClients, opts: PlanOptions): Promise<Plan> {
  if (batchOnly(opts)) {
    progress(BATCH_ONLY_NOTE);
    return createPlan({ ...model, roles: [], instanceProfiles: [], dockerImageAssets: [] }, clients);
  }
  return createPlan(model, clients, { appPath: opts.app, stacks: opts.stack });
}

/** Adds `plan` and `apply`. */
export function registerPlanApply(program: Command, setExit: (code: number) => void): void {
  withAccountOption(withServiceEndpoints(withAwsOptions(
    program
      .command('plan')
      .description('Compare the Batch resources of a cloud assembly with the account and print what apply would do (its dry run)')
      .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
      .addOption(stackOption())
      .option('--json', 'print the plan as JSON on stdout'),
  ), ['iam', 'ec2', 'ecr'])).action(async (opts: PlanOptions) => {
    const model = loadApp(opts);
    const plan = await planApp(model, await clientsFrom(opts), opts);
    process.stdout.write(opts.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : renderPlan(plan));
    setExit(plan.blockers.length > 0 ? EXIT.failed : EXIT.ok);
  });

  withAccountOption(withPollOption(withServiceEndpoints(withAwsOptions(
    program
      .command('apply')
      .description('Create or update the Batch resources of a cloud assembly through the SDK, in dependency order')
      .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
      .addOption(stackOption())
      .option('--concurrency <n>', 'steps running at once', String(DEFAULT_APPLY_CONCURRENCY))
      .option('--iam-settle-seconds <n>', 'seconds to let a new IAM role propagate before Batch uses it', String(DEFAULT_IAM_SETTLE_SECONDS))
      .option('-y, --yes', 'apply without asking for confirmation (cdk deploy --require-approval never; needed when stdin is not a terminal)')
      .option('--json', 'print the report as JSON on stdout'),
  ), ['iam', 'ec2', 'ecr']))).action(async (opts: PlanOptions) => {
    const model = loadApp(opts);
    const clients = await clientsFrom(opts);
    const plan = await planApp(model, clients, opts);
    process.stderr.write(renderPlan(plan));
    const report = await applyPlan(plan, clients, {
      concurrency: Math.max(1, Number(opts.concurrency ?? DEFAULT_APPLY_CONCURRENCY) || DEFAULT_APPLY_CONCURRENCY),
      iamSettleMs: Math.max(0, Number(opts.iamSettleSeconds ?? DEFAULT_IAM_SETTLE_SECONDS) || 0) * 1000,
      wait: { pollMs: pollMs(opts) },
      onProgress: progress,
      confirm: cliConfirm('apply', opts.yes),
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderApplyReport(report));
    setExit(report.ok ? EXIT.ok : report.declined ? EXIT.failed : EXIT.environment);
  });
}
