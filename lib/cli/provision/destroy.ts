/** `batchkit destroy`. */
import type { Command } from 'commander';
import { existsSync } from 'fs';
import { BatchkitError } from '../../core/errors';
import { destroy, renderDestroyPreview, renderDestroyReport } from '../../provisioner/apply/destroy';
import { EXIT } from '../exit';
import { DEFAULT_APP } from '../defaults';
import {
  BATCH_ONLY_NOTE,
  batchOnly,
  clientsFrom,
  loadApp,
  pollMs,
  progress,
  stacksOf,
  withAccountOption,
  withAwsOptions,
  withPollOption,
  withServiceEndpoints,
  type AppOptions,
  type AwsOptions,
} from './common';
import { cliConfirm } from './confirm';
import { stackOption } from '../options';

interface DestroyOptions extends AppOptions, AwsOptions {
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
}

/** Adds `destroy`. */
export function registerDestroy(program: Command, setExit: (code: number) => void): void {
  withAccountOption(
    withPollOption(
      withServiceEndpoints(
        withAwsOptions(
          program
            .command('destroy')
            .description(
              'Delete what batchkit created for the stacks (found by the ' +
                'batchkit:stack tag), in the order AWS requires',
            )
            .option(
              '--app <path>',
              'cloud assembly directory or template file (for the stack names and IAM role names)',
              DEFAULT_APP,
            )
            .addOption(stackOption('stack to destroy (default: every stack of the app)'))
            .option('--dry-run', 'only list what would be deleted')
            .option(
              '-y, --yes',
              'delete without asking for confirmation (cdk destroy --force; needed ' + 'when stdin is not a terminal)',
            )
            .option('--json', 'print the report as JSON on stdout'),
        ),
        ['iam', 'ec2', 'ecr'],
      ),
    ),
  ).action(async (opts: DestroyOptions) => {
    const app = opts.app ?? DEFAULT_APP;
    const model = existsSync(app) ? loadApp(opts) : undefined;
    const stacks = opts.stack && opts.stack.length > 0 ? opts.stack : model ? stacksOf(model) : [];
    if (stacks.length === 0) {
      throw new BatchkitError(
        'BATCHKIT-CLI-PROVISION-002',
        'input',
        `No stack to destroy: ` +
          `${model ? `the app at ${app} has no Batch or IAM resources` : `${app} does not exist`} ` +
          `and no --stack was given.`,
        {
          fix: 'pass --stack <name> (the batchkit:stack tag value) or --app <cdk.out>.',
        },
      );
    }
    const only = batchOnly(opts);
    if (only) progress(BATCH_ONLY_NOTE);
    const report = await destroy(await clientsFrom(opts), {
      stacks,
      model: only ? undefined : model,
      skipEc2: only,
      dryRun: opts.dryRun,
      wait: { pollMs: pollMs(opts) },
      onProgress: progress,
      confirm: cliConfirm('destroy', opts.yes),
      onPreview: (preview) => process.stderr.write(renderDestroyPreview(preview)),
    });
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderDestroyReport(report));
    setExit(report.declined ? EXIT.failed : EXIT.ok);
  });
}
