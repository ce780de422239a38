/**
 * Option conventions shared by every command. An option that takes several values takes one value
 * per flag and is repeated (`--stack A --stack B`, `--env K=V --env L=W`), never several values after
 * one flag: a variadic option would take the positional argument after it for one of its values
 * (`validate --stack S t.json` would read `t.json` as a stack). No comma lists either: values such as
 * `K=V` may hold commas.
 */
import { Option, type Command } from 'commander';

/** Appends `value` to the values given so far (commander's argParser for a repeated flag). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** An option repeated once per value; its help text says so. */
export function repeatable(flags: string, description: string): Option {
  if (flags.includes('...')) throw new Error(`repeatable(${flags}): one value per flag, not a variadic option`);
  return new Option(flags, /repeat/.test(description) ? description : `${description} (repeatable)`).argParser(collect);
}

/** `--stack <name>`, repeatable: only these stacks of the assembly. */
export function stackOption(description = 'only this stack of the assembly'): Option {
  return repeatable('--stack <name>', description);
}

/** A long option renamed: `old` (e.g. `--queue`) still works as a hidden alias of `now` (`--job-queue`). */
export interface RenamedOption {
  /** The old long name. */
  readonly old: string;
  /** The current long name (an option of the same command taking one value). */
  readonly now: string;
}

/** `--job-queue` → `jobQueue`, as commander names option values. */
export function optionKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Adds each old name as a hidden option taking one value; before the action runs, its value moves to
 * the current name (unless that was given too) and one line on stderr says to use the current name.
 */
export function renamedOptions(cmd: Command, renamed: readonly RenamedOption[]): Command {
  for (const r of renamed) cmd.addOption(new Option(`${r.old} <value>`).hideHelp());
  cmd.hook('preAction', (self) => {
    for (const r of renamed) {
      const value: unknown = self.getOptionValue(optionKey(r.old));
      if (value === undefined) continue;
      process.stderr.write(`batchkit: ${r.old} is deprecated; use ${r.now} (the AWS CLI's name)\n`);
      if (self.getOptionValue(optionKey(r.now)) === undefined)
        self.setOptionValueWithSource(optionKey(r.now), value, 'cli');
      self.setOptionValue(optionKey(r.old), undefined);
    }
  });
  return cmd;
}
