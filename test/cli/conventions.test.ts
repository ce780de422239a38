/**
 * The CLI reads like one tool: one way to name the input (`--app`, with `validate`'s positional as an
 * alias), repeatable options that never take a positional argument for a value, `--version`, the
 * AWS CLI's option names (older names as hidden aliases with a notice), and only options that do
 * something. Each case runs the built CLI as a user would.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type Command } from 'commander';
import { buildProgram } from '../../lib/cli';
import { REPO_ROOT, runCli } from '../_helpers/cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-conventions-'));

function jobDefinition(name: string): unknown {
  return {
    Type: 'AWS::Batch::JobDefinition',
    Properties: {
      JobDefinitionName: name,
      Type: 'container',
      ContainerProperties: {
        Image: 'local/busybox:test',
        Command: ['echo', name],
        ResourceRequirements: [
          { Type: 'VCPU', Value: '1' },
          { Type: 'MEMORY', Value: '512' },
        ],
      },
    },
  };
}

/** A cloud assembly of two stacks, one job definition each, and a template file of two definitions. */
const assembly = path.join(dir, 'asm');
const template = path.join(dir, 't.json');
mkdirSync(assembly);
const stack = (id: string) => ({
  type: 'aws:cloudformation:stack',
  environment: 'aws://unknown-account/unknown-region',
  properties: { templateFile: `${id}.template.json` },
});
writeFileSync(
  path.join(assembly, 'manifest.json'),
  JSON.stringify({ version: '55.0.0', artifacts: { StackA: stack('StackA'), StackB: stack('StackB') } }),
);
writeFileSync(path.join(assembly, 'StackA.template.json'), JSON.stringify({ Resources: { Job: jobDefinition('a') } }));
writeFileSync(path.join(assembly, 'StackB.template.json'), JSON.stringify({ Resources: { Job: jobDefinition('b') } }));
writeFileSync(template, JSON.stringify({ Resources: { One: jobDefinition('one'), Two: jobDefinition('two') } }));

function validateJson(args: string[]): {
  code: number;
  report?: { path: string; resources: { jobDefinitions: number } };
  stderr: string;
} {
  const r = runCli(['validate', ...args, '--json'], { cwd: dir });
  return { code: r.code, report: r.code === 0 ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

describe('one way to name the input', () => {
  test('validate --stack S t.json reads t.json: a repeatable option never takes the positional after it', () => {
    const r = validateJson(['--stack', 'S', template]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.report?.path).toBe(template);
    expect(r.report?.resources.jobDefinitions).toBe(2);
  });

  test('--stack repeats: each flag adds a stack of the assembly', () => {
    expect(validateJson(['--stack', 'StackB', assembly]).report?.resources.jobDefinitions).toBe(1);
    expect(validateJson(['--stack', 'StackA', '--stack', 'StackB', assembly]).report?.resources.jobDefinitions).toBe(2);
    expect(validateJson(['--app', assembly, '--stack', 'StackA']).report?.resources.jobDefinitions).toBe(1);
  });

  test('validate takes --app; the positional path is its alias; two different inputs are refused', () => {
    expect(validateJson(['--app', template]).report).toMatchObject({
      path: template,
      resources: { jobDefinitions: 2 },
    });
    expect(validateJson([template, '--app', template]).report?.path).toBe(template);
    const both = runCli(['validate', template, '--app', assembly], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toBe(
      `batchkit: error BATCHKIT-CLI-002: validate got two inputs: "${template}" and --app "${assembly}". ` +
        'Fix: name the cdk.out directory or template once: --app <path> (or the path alone).\n',
    );
  });

  test('no option of any command is variadic; every command that reads an app has --app', () => {
    const all = commands(buildProgram(() => undefined));
    const variadic = all.flatMap((c) => c.options.filter((o) => o.variadic).map((o) => `${commandPath(c)} ${o.long}`));
    expect(variadic).toEqual([]);
    const readsApp = all.filter((c) =>
      c.options.some((o) => o.long === '--stack' || o.long === '--parameter-overrides'),
    );
    expect(readsApp.map(commandPath).sort()).toEqual(
      ['apply', 'destroy', 'doctor', 'local run', 'local serve', 'local start-execution', 'plan', 'validate'].sort(),
    );
    for (const c of readsApp)
      expect(`${commandPath(c)}: ${c.options.some((o) => o.long === '--app')}`).toBe(`${commandPath(c)}: true`);
  });
});

test('batchkit --version and -V print the version of package.json and exit 0', () => {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = runCli([flag]);
    expect({ flag, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      flag,
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  }
});

describe('only options that do something', () => {
  const program = buildProgram(() => undefined);
  const flags = (name: string) =>
    (program.commands.find((c) => c.name() === name) as Command).options.map((o) => o.long);

  test('--poll-seconds only where batchkit waits; a service endpoint only where the service is called', () => {
    expect(['plan', 'apply', 'destroy', 'submit', 'doctor'].filter((c) => flags(c).includes('--poll-seconds'))).toEqual(
      ['apply', 'destroy', 'submit'],
    );
    expect(flags('submit')).not.toEqual(expect.arrayContaining(['--iam-endpoint-url']));
    // submit calls Batch, and CloudWatch Logs with --follow.
    expect(flags('submit').filter((f) => /endpoint-url/.test(f ?? ''))).toEqual([
      '--endpoint-url',
      '--logs-endpoint-url',
    ]);
    expect(flags('doctor').filter((f) => /endpoint-url/.test(f ?? ''))).toEqual([
      '--endpoint-url',
      '--iam-endpoint-url',
      '--ec2-endpoint-url',
    ]);
    for (const c of ['plan', 'apply', 'destroy']) {
      expect(flags(c).filter((f) => /endpoint-url/.test(f ?? ''))).toEqual([
        '--endpoint-url',
        '--iam-endpoint-url',
        '--ec2-endpoint-url',
        '--ecr-endpoint-url',
      ]);
    }
  });

  test('a removed option is an unknown option: exit 2', () => {
    const r = runCli(['plan', '--app', template, '--poll-seconds', '5'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--poll-seconds'");
  });
});

describe("the AWS CLI's names", () => {
  test('submit and local run take --job-queue and --job-name; a missing queue names --job-queue', () => {
    const r = runCli(
      ['submit', '--job-definition', 'd', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('batchkit submit needs --job-queue.');
    const run = runCli(['local', 'run', '--app', template, '--job-definition', 'one'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('batchkit local run needs --job-queue (or --file).');
  });

  test('the old --queue and --name still work, with a one-line notice on stderr, and are not in the help', () => {
    // --array-size 1 is refused before anything is contacted: the error shows the old names were taken as the new ones.
    const r = runCli(
      [
        'submit',
        '--queue',
        'q',
        '--name',
        'n',
        '--job-definition',
        'd',
        '--array-size',
        '1',
        '--endpoint-url',
        'http://127.0.0.1:9',
        '--region',
        'us-east-1',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "batchkit: --queue is deprecated; use --job-queue (the AWS CLI's name)\n" +
        "batchkit: --name is deprecated; use --job-name (the AWS CLI's name)\n" +
        'batchkit: error BATCHKIT-CLI-LOCAL-001: --array-size "1" is not valid: an integer from 2 to 10000. ' +
        'Fix: pass a whole number, e.g. --array-size 2\n',
    );
    const help = runCli(['submit', '--help']).stdout;
    expect(help).toContain('--job-queue <ref>');
    expect(help).not.toMatch(/--queue\b|--name\b/);
    const list = runCli(['local', 'list', '--help']).stdout;
    expect(list).toMatch(/--job-queue <name>[\s\S]*--job-status <status>[\s\S]*--job-name <name>/);
    expect(list).not.toMatch(/ --queue\b| --status\b| --name\b/);
  });
});

function commands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...commands(c)]);
}

function commandPath(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x && x.parent; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}
