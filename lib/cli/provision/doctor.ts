/** `batchkit doctor`: why jobs would sit in RUNNABLE, from the app and (with --live) from the account. */
import type { Command } from 'commander';
import { existsSync } from 'fs';
import { BatchkitError } from '../../core/errors';
import type { Finding } from '../../core/rules/finding';
import { liveDoctor } from '../../provisioner/doctor/live';
import { staticDoctor } from '../../provisioner/doctor/static';
import { EXIT } from '../exit';
import { fargateNetworkCheck } from '../fargate-network';
import { renderFindings } from '../validate';
import { DEFAULT_APP } from '../defaults';
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
import { stackOption } from '../options';

interface DoctorOptions extends AppOptions, AwsOptions {
  live?: boolean;
  json?: boolean;
}

/** Adds `doctor`. */
export function registerDoctor(program: Command, setExit: (code: number) => void): void {
  withAccountOption(
    withServiceEndpoints(
      withAwsOptions(
        program
          .command('doctor')
          .description(
            'Explain why jobs would sit in RUNNABLE: from the cloud assembly, and with --live from the account',
          )
          .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
          .addOption(stackOption())
          .option(
            '--live',
            'also read the account (environments, queues, RUNNABLE jobs, IAM, subnets, security groups)',
          )
          .option('--json', 'print findings as JSON on stdout'),
      ),
      ['iam', 'ec2'],
    ),
  ).action(async (opts: DoctorOptions) => {
    const app = opts.app ?? DEFAULT_APP;
    const hasApp = existsSync(app);
    if (!hasApp && !opts.live) {
      throw new BatchkitError(
        'BATCHKIT-CLI-PROVISION-004',
        'input',
        `${app} does not exist, and without --live there is nothing to examine.`,
        {
          fix: 'run `cdk synth` (or pass --app <path>), or add --live to examine the account.',
        },
      );
    }
    const model = hasApp ? loadApp(opts) : undefined;
    const findings: Finding[] = model ? [...staticDoctor(model), ...fargateNetworkCheck(app, model, opts.stack)] : [];
    if (opts.live) {
      const names = model
        ? {
            computeEnvironments: model.computeEnvironments.map((c) => c.computeEnvironmentName),
            jobQueues: model.jobQueues.map((q) => q.jobQueueName),
          }
        : {};
      if (batchOnly(opts)) progress(BATCH_ONLY_NOTE);
      findings.push(...(await liveDoctor(await clientsFrom(opts), { ...names, batchOnly: batchOnly(opts) })));
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (opts.json) process.stdout.write(`${JSON.stringify({ findings, errors }, null, 2)}\n`);
    else
      process.stdout.write(
        renderFindings(findings) +
          (findings.length === 0
            ? 'No reason found for jobs to stay RUNNABLE.\n'
            : `${errors} error(s), ${findings.length - errors} warning(s).\n`),
      );
    setExit(errors > 0 ? EXIT.failed : EXIT.ok);
  });
}
