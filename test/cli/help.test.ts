/**
 * Help texts agree with the code: every command's `--help` (as the built CLI prints it) names the
 * defaults the code uses — ports, store, app, region, poll interval — and the README's CLI reference
 * suggests the same port.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { buildProgram } from '../../lib/cli';
import {
  DEFAULT_APP,
  DEFAULT_APPLY_CONCURRENCY,
  DEFAULT_IAM_SETTLE_SECONDS,
  DEFAULT_POLL_SECONDS,
  DEFAULT_SERVE_HOST,
  DEFAULT_SERVE_PORT,
  DEFAULT_SERVE_REGION,
  DEFAULT_STORE,
} from '../../lib/cli/defaults';
import { REPO_ROOT, runCli } from '../_helpers/cli';

function commands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...commands(c)]);
}

function commandPath(c: Command): string[] {
  const names: string[] = [];
  for (let x: Command | null = c; x && x.parent; x = x.parent) names.unshift(x.name());
  return names;
}

/** Every command's help as the CLI prints it, whitespace folded (commander wraps long descriptions). */
const HELP: ReadonlyArray<{ command: string; text: string }> = [
  [],
  ...commands(buildProgram(() => undefined)).map(commandPath),
].map((p) => {
  const r = runCli([...p, '--help']);
  if (r.code !== 0) throw new Error(`batchkit ${p.join(' ')} --help exited ${r.code}: ${r.stderr}`);
  return { command: p.join(' ') || '(batchkit)', text: r.stdout.replace(/\s+/g, ' ') };
});

/** The help entry of `flag` (`--store <dir>`): its description, up to the next option. */
function optionEntry(text: string, flag: string): string | undefined {
  const at = text.indexOf(` ${flag} `);
  if (at < 0) return undefined;
  const rest = text.slice(at + flag.length + 2);
  const end = rest.search(/ (-[a-zA-Z], )?--[a-z][a-z-]* (<|\[)|(-[a-zA-Z], )?--[a-z][a-z-]* [a-z]/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The default commander prints for `flag` in a help text, if any. */
function printedDefault(text: string, flag: string): string | undefined {
  const entry = optionEntry(text, flag);
  return entry === undefined ? undefined : /\(default: "([^"]*)"\)/.exec(entry)?.[1];
}

test('every command prints its help, exit 0, and the list covers the commands', () => {
  expect(HELP.map((h) => h.command)).toEqual(
    expect.arrayContaining([
      'validate',
      'plan',
      'apply',
      'destroy',
      'submit',
      'doctor',
      'local run',
      'local serve',
      'local list',
      'local report',
    ]),
  );
});

test(`every port a help text suggests is local serve's (${DEFAULT_SERVE_PORT})`, () => {
  const ports = HELP.flatMap((h) =>
    [...h.text.matchAll(/(?:127\.0\.0\.1|localhost):(\d+)/g)].map((m) => `${h.command}: ${m[1]}`),
  );
  // At least --endpoint-url of plan, apply, destroy, submit and doctor suggests one.
  expect(ports.length).toBeGreaterThanOrEqual(5);
  expect(ports.filter((p) => !p.endsWith(`: ${DEFAULT_SERVE_PORT}`))).toEqual([]);
  expect(printedDefault(HELP.find((h) => h.command === 'local serve')?.text ?? '', '--port <n>')).toBe(
    String(DEFAULT_SERVE_PORT),
  );
});

test('the defaults each help prints are the constants the code uses', () => {
  const expected: Record<string, string> = {
    '--store <dir>': DEFAULT_STORE,
    '--poll-seconds <n>': String(DEFAULT_POLL_SECONDS),
    '--concurrency <n>': String(DEFAULT_APPLY_CONCURRENCY),
    '--iam-settle-seconds <n>': String(DEFAULT_IAM_SETTLE_SECONDS),
    '--port <n>': String(DEFAULT_SERVE_PORT),
    '--host <address>': DEFAULT_SERVE_HOST,
  };
  const seen: string[] = [];
  const wrong: string[] = [];
  for (const { command, text } of HELP) {
    for (const [flag, value] of Object.entries(expected)) {
      const printed = printedDefault(text, flag);
      if (printed === undefined) continue;
      seen.push(`${command} ${flag}`);
      if (printed !== value) wrong.push(`${command} ${flag}: help says ${printed}, code uses ${value}`);
    }
    // --app: a printed default, or the description's "default: cdk.out ...", is the constant.
    const app = /\(default: "?([^ )"]+)/.exec(optionEntry(text, '--app <path>') ?? '')?.[1];
    if (app !== undefined) {
      seen.push(`${command} --app`);
      if (app !== DEFAULT_APP) wrong.push(`${command} --app: help says ${app}, code uses ${DEFAULT_APP}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(seen).toEqual(
    expect.arrayContaining([
      'local run --store <dir>',
      'local list --store <dir>',
      'apply --poll-seconds <n>',
      'submit --poll-seconds <n>',
      'apply --concurrency <n>',
      'local serve --host <address>',
      'validate --app',
      'plan --app',
      'local run --app',
    ]),
  );
  expect(printedDefault(HELP.find((h) => h.command === 'local serve')?.text ?? '', '--region <name>')).toBe(
    DEFAULT_SERVE_REGION,
  );
});

test("the README's CLI reference suggests the same serve port and documents no removed option", () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const ports = [...readme.matchAll(/(?:--port |127\.0\.0\.1:|localhost:)(\d{2,5})\b/g)].map((m) => Number(m[1]));
  expect(ports).toContain(DEFAULT_SERVE_PORT);
  expect(ports.filter((p) => p !== DEFAULT_SERVE_PORT)).toEqual([]);
  // Options the commands no longer have (or never had) are not documented on them.
  expect(readme).not.toMatch(/plan\|apply[^`\n]*--dry-run/);
  expect(readme).not.toMatch(/(plan|doctor)[^`\n]*--poll-seconds/);
});
