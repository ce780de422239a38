/**
 * `batchkit validate [path]`: load a cloud assembly or template, run every rule, print findings.
 */
import type { Command } from 'commander';
import { loadBatchModel } from '../core/assembly';
import { describeResource, formatValue, renderDetails, type Finding } from '../core/rules/finding';
import { VALIDATE_RULES } from '../core/rules';
import { hasErrors, runRules } from '../core/rules/rule';
import { BatchkitError } from '../core/errors';
import { EXIT } from './exit';
import { addLoaderOptions, loaderOptionsFrom, notLoadedLines, type LoaderFlags } from './loader-options';
import { displayUnresolved } from '../core/model/unresolved';
import { fargateNetworkCheck } from './fargate-network';
import { FARGATE_NETWORK_CODE } from '../core/rules/fargate-network';
import { repeatable, stackOption } from './options';
import { DEFAULT_APP } from './defaults';

/** Options of `batchkit validate`. */
interface ValidateOptions extends LoaderFlags {
  app?: string;
  json?: boolean;
  stack?: string[];
  exclude?: string[];
  quiet?: boolean;
}

/** Adds `validate` to the program. */
export function registerValidate(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('validate')
    .description('Check the AWS Batch resources of a cloud assembly (cdk.out) or a CloudFormation template')
    .argument('[path]', 'the same as --app (kept for compatibility)')
    .option('--app <path>', 'cdk.out directory or template file (JSON or YAML) (default: cdk.out)')
    .option('--json', 'print findings as JSON on stdout')
    .addOption(stackOption())
    .addOption(repeatable('--exclude <code>', 'leave out this rule code'))
    .option('--quiet', 'do not print info findings (checks skipped for unresolved values)');
  addLoaderOptions(cmd).action((positional: string | undefined, opts: ValidateOptions) => {
    const path = inputPath(positional, opts.app);
    const model = loadBatchModel(path, { stacks: opts.stack, ...loaderOptionsFrom(opts) });
    const findings = runRules(VALIDATE_RULES, model, { exclude: opts.exclude });
    if (!opts.exclude?.includes(FARGATE_NETWORK_CODE)) findings.push(...fargateNetworkCheck(path, model, opts.stack));
    const shown = opts.quiet ? findings.filter((f) => f.severity !== 'info') : findings;
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const summary = {
      path,
      resources: {
        jobDefinitions: model.jobDefinitions.length,
        jobQueues: model.jobQueues.length,
        computeEnvironments: model.computeEnvironments.length,
        schedulingPolicies: model.schedulingPolicies.length,
      },
      errors,
      warnings,
    };
    if (opts.json) {
      const notes = model.notes.map((n) => ({ ...n, message: displayUnresolved(n.message) }));
      process.stdout.write(`${JSON.stringify({ ...summary, findings: shown, notes }, null, 2)}\n`);
    } else {
      process.stdout.write(renderFindings(shown));
      const notLoaded = notLoadedLines(model);
      if (notLoaded.length > 0) {
        process.stdout.write(
          `Not loaded (${notLoaded.length} nested stack` +
            `${notLoaded.length === 1 ? '' : 's'}; their resources are not checked):\n`,
        );
        for (const line of notLoaded) process.stdout.write(`  ${line}\n`);
      }
      process.stdout.write(
        `${path}: ${summary.resources.jobDefinitions} job definition(s), ` +
          `${summary.resources.jobQueues} job queue(s), ` +
          `${summary.resources.computeEnvironments} compute environment(s), ` +
          `${summary.resources.schedulingPolicies} scheduling ` +
          `polic${summary.resources.schedulingPolicies === 1 ? 'y' : 'ies'}` +
          `${notLoaded.length > 0 ? ` (${notLoaded.length} nested stack(s) not loaded)` : ''}: ` +
          `${errors} error(s), ${warnings} warning(s)\n`,
      );
    }
    setExit(hasErrors(findings) ? EXIT.failed : EXIT.ok);
  });
}

/** The input of `validate`: `--app`, or the positional path (its older spelling), else `cdk.out`. */
export function inputPath(positional: string | undefined, app: string | undefined): string {
  if (positional !== undefined && app !== undefined && positional !== app) {
    throw new BatchkitError(
      'BATCHKIT-CLI-002',
      'input',
      `validate got two inputs: "${positional}" and --app "${app}".`,
      {
        fix: 'name the cdk.out directory or template once: --app <path> (or the path alone).',
      },
    );
  }
  return app ?? positional ?? DEFAULT_APP;
}

/** A message without the resource the group header names, and without the `: ` left when the finding has no field. */
function withoutResource(message: string, resource: string): string {
  if (!message.startsWith(resource)) return message;
  return message
    .slice(resource.length)
    .replace(/^\s*:\s*/, '')
    .trimStart();
}

/** Findings grouped by resource, errors first within a resource. */
export function renderFindings(findings: readonly Finding[]): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = describeResource(f.resource);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const rank = { error: 0, warning: 1, info: 2 } as const;
  let out = '';
  for (const [resource, list] of groups) {
    out += `${resource}\n`;
    for (const f of [...list].sort((a, b) => rank[a.severity] - rank[b.severity] || a.code.localeCompare(b.code))) {
      const head = `  ${f.severity.toUpperCase().padEnd(7)} ${f.code}  `;
      const indent = ' '.repeat(head.length);
      if (!f.details || f.summary === undefined) {
        out += `${head}${withoutResource(f.message, resource)}\n`;
        continue;
      }
      // A nested explanation: the summary, then the details indented per level, then value, allowed values and fix.
      const tail = [
        f.value !== undefined ? `Got: ${formatValue(f.value)}.` : '',
        f.allowed ? `Allowed: ${f.allowed}.` : '',
        f.fix ? `Fix: ${f.fix}` : '',
      ];
      out += [
        `${head}${withoutResource(f.summary, resource)}`,
        ...renderDetails(f.details, `${indent}  `),
        ...tail.filter(Boolean).map((t) => `${indent}${t}`),
      ]
        .map((l) => `${l}\n`)
        .join('');
    }
  }
  return out;
}
