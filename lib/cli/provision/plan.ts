/** `batchkit plan`: what `batchkit apply` would do (its dry run), from the app and the account. */
import type { Command } from 'commander';
import type { BatchModel } from '../../core/model/batch-model';
import type { ProvisionerClients } from '../../provisioner/clients/interfaces';
import { createPlan, renderPlan, type Plan } from '../../provisioner/plan/plan';
import { DEFAULT_APP } from '../defaults';
import { EXIT } from '../exit';
import { stackOption } from '../options';
import {
  BATCH_ONLY_NOTE,
  batchOnly,
  clientsFrom,
  loadApp,
  progress,
  withAccountOption,
  withAwsOptions,
  withServiceEndpoints,
  type AppOptions,
  type AwsOptions,
} from './common';

/** Options of `plan` (and the ones `apply` shares). */
export interface PlanOptions extends AppOptions, AwsOptions {
  json?: boolean;
}

/** The plan as JSON: each action without the desired spec's internals. */
export function planJson(plan: Plan): unknown {
  return {
    actions: plan.actions.map((a) => ({
      key: a.key,
      kind: a.kind,
      name: a.name,
      stack: a.stack,
      action: a.action,
      reasons: a.reasons,
      changes: a.changes,
      dependsOn: a.dependsOn,
      existing: a.existing,
    })),
    blockers: plan.blockers,
  };
}

/** Plans the app; against a Batch-only endpoint without its IAM and EC2 resources and image assets. */
export async function planApp(model: BatchModel, clients: ProvisionerClients, opts: PlanOptions): Promise<Plan> {
  if (batchOnly(opts)) {
    progress(BATCH_ONLY_NOTE);
    return createPlan({ ...model, roles: [], instanceProfiles: [], dockerImageAssets: [] }, clients);
  }
  return createPlan(model, clients, { appPath: opts.app, stacks: opts.stack });
}

/** Adds `plan`. */
export function registerPlan(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('plan')
    .description(
      'Compare the Batch resources of a cloud assembly with the account and print what apply would do (its dry run)',
    )
    .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
    .addOption(stackOption())
    .option('--json', 'print the plan as JSON on stdout');
  withAccountOption(withServiceEndpoints(withAwsOptions(cmd), ['iam', 'ec2', 'ecr'])).action(
    async (opts: PlanOptions) => {
      const model = loadApp(opts);
      const plan = await planApp(model, await clientsFrom(opts), opts);
      process.stdout.write(opts.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : renderPlan(plan));
      setExit(plan.blockers.length > 0 ? EXIT.failed : EXIT.ok);
    },
  );
}
