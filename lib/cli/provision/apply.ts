/** `batchkit apply`: the plan of `batchkit plan`, confirmed and carried out through the SDK in dependency order. */
import type { Command } from 'commander';
import { applyPlan, renderApplyReport } from '../../provisioner/apply/apply';
import { renderPlan } from '../../provisioner/plan/plan';
import { DEFAULT_APP, DEFAULT_APPLY_CONCURRENCY, DEFAULT_IAM_SETTLE_SECONDS } from '../defaults';
import { EXIT } from '../exit';
import { stackOption } from '../options';
import {
  clientsFrom,
  loadApp,
  pollMs,
  progress,
  withAccountOption,
  withAwsOptions,
  withPollOption,
  withServiceEndpoints,
} from './common';
import { cliConfirm } from './confirm';
import { planApp, type PlanOptions } from './plan';

interface ApplyOptions extends PlanOptions {
  concurrency?: string;
  iamSettleSeconds?: string;
  yes?: boolean;
}

/** Adds `apply`. */
export function registerApply(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('apply')
    .description('Create or update the Batch resources of a cloud assembly through the SDK, in dependency order')
    .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
    .addOption(stackOption())
    .option('--concurrency <n>', 'steps running at once', String(DEFAULT_APPLY_CONCURRENCY))
    .option(
      '--iam-settle-seconds <n>',
      'seconds to let a new IAM role propagate before Batch uses it',
      String(DEFAULT_IAM_SETTLE_SECONDS),
    )
    .option(
      '-y, --yes',
      'apply without asking for confirmation ' +
        '(cdk deploy --require-approval never; needed when stdin is not a terminal)',
    )
    .option('--json', 'print the report as JSON on stdout');
  withAccountOption(withPollOption(withServiceEndpoints(withAwsOptions(cmd), ['iam', 'ec2', 'ecr']))).action(
    async (opts: ApplyOptions) => {
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
    },
  );
}
