/**
 * The options every command that loads an app shares: `--parameter-overrides Key=Value` (the AWS
 * CLI's name for template parameter values) and `--nested <LogicalId>=<file>` (a local template for
 * a nested stack whose TemplateURL is not a file of the app). Both repeat instead of taking several
 * values after one flag, so a positional argument after them is never taken for a value.
 */
import { Option, type Command } from 'commander';
import type { LoadOptions } from '../core/assembly';
import { BatchkitError } from '../core/errors';
import type { BatchModel, LoaderNote } from '../core/model/batch-model';
import { displayUnresolved } from '../core/model/unresolved';
import { collect } from './options';

/** What {@link addLoaderOptions} adds to a command's options. */
export interface LoaderFlags {
  /** `--parameter-overrides Key=Value` (repeatable; the value may hold spaces and `=`). */
  parameterOverrides?: string[];
  /** `--nested LogicalId=file` (repeatable). */
  nested?: string[];
}

/** `--parameter-overrides <Key=Value>`, repeatable. */
export function parameterOverridesOption(): Option {
  return new Option(
    '--parameter-overrides <Key=Value>',
    'value of a template parameter; repeat the flag for more (a parameter ' +
      'without default and without value is unknown to the checks)',
  ).argParser(collect);
}

/** `--nested <LogicalId=file>`, repeatable. */
export function nestedOption(): Option {
  return new Option(
    '--nested <LogicalId=file>',
    'local template for a nested stack whose TemplateURL is not in the app ' +
      '(an S3 URL, for instance); repeat the flag for more',
  ).argParser(collect);
}

/** Adds `--parameter-overrides` and `--nested` to a command. */
export function addLoaderOptions(cmd: Command): Command {
  return cmd.addOption(parameterOverridesOption()).addOption(nestedOption());
}

function pairs(
  flag: string,
  values: readonly string[] | undefined,
  what: string,
  example: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new BatchkitError('BATCHKIT-CLI-001', 'input', `${flag} "${item}" is not ${what}.`, {
        fix: `write it as ${example}, one pair per ${flag}.`,
      });
    }
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** The loader options the flags describe. */
export function loaderOptionsFrom(flags: LoaderFlags): Pick<LoadOptions, 'parameters' | 'nested'> {
  const parameters = pairs(
    '--parameter-overrides',
    flags.parameterOverrides,
    'Key=Value',
    '--parameter-overrides Namespace=dev',
  );
  const nested = pairs('--nested', flags.nested, 'LogicalId=file', '--nested NetworkStack=./network.yaml');
  return {
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(Object.keys(nested).length > 0 ? { nested } : {}),
  };
}

/** The notes of nested stacks that were not loaded, one line each, for stderr: `batchkit: note: ...`. */
export function notLoadedLines(model: BatchModel): string[] {
  return model.notes
    .filter((n) => n.kind === 'nested-stack-not-loaded')
    .map((n) => `${noteWhere(n)}: ${displayUnresolved(n.message)}`);
}

/** `Stack/LogicalId` of a note. */
export function noteWhere(n: LoaderNote): string {
  return [n.source.stack, n.source.logicalId].filter(Boolean).join('/');
}
