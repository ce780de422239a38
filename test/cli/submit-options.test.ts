/**
 * The SubmitJob flags `batchkit local run` and `batchkit submit` share: registered once, parsed
 * once, built into one request shape.
 */
import { Command } from 'commander';
import { buildProgram } from '../../lib/cli';
import { specsFromOptions } from '../../lib/cli/local/run';
import { submitRequest } from '../../lib/cli/provision/submit';
import {
  addSubmitOptions,
  buildSubmitJobRequest,
  SUBMIT_FLAG_KEYS,
  specFromSubmitFlags,
} from '../../lib/cli/submit-options';

function command(program: Command, path: string[]): Command {
  return path.reduce((cmd, name) => cmd.commands.find((c) => c.name() === name) as Command, program);
}

const SHARED = [
  '--job-queue',
  '--job-definition',
  '--job-name',
  '--array-size',
  '--depends-on',
  '--parameters',
  '--command',
  '--env',
  '--vcpus',
  '--memory',
  '--gpus',
  '--retry-attempts',
  '--timeout',
];

test('both commands register the shared flags, each keeps its own', () => {
  const program = buildProgram(() => undefined);
  const flags = (path: string[]) => command(program, path).options.map((o) => o.long);
  const run = flags(['local', 'run']);
  const submit = flags(['submit']);
  expect(run.filter((f) => SHARED.includes(f as string))).toEqual(SHARED);
  expect(submit.filter((f) => SHARED.includes(f as string))).toEqual(SHARED);
  expect(run).toEqual(expect.arrayContaining(['--file', '--follow', '--on-event', '--webhook', '--events', '--store']));
  expect(submit).toEqual(expect.arrayContaining(['--share-identifier', '--no-wait', '--endpoint-url']));
  expect(submit).not.toContain('--file');
  expect(run).not.toContain('--share-identifier');
  expect(SUBMIT_FLAG_KEYS.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)).toEqual(SHARED);
  const cmd = addSubmitOptions(new Command('x'), { queue: 'Q help', jobDefinition: 'D help' });
  expect(cmd.options.find((o) => o.long === '--job-queue')?.description).toBe('Q help');
});

test('the same flags give the same SubmitJob request from both commands', () => {
  const flags = {
    jobQueue: 'q',
    jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/d:2',
    arraySize: '3',
    dependsOn: ['id-1', 'id-2:N_TO_N'],
    parameters: ['greeting=hi'],
    env: ['K=v'],
    vcpus: '0.5',
    memory: '64',
    retryAttempts: '2',
    timeout: '120',
  };
  const expected = {
    jobName: 'd',
    jobQueue: 'q',
    jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/d:2',
    arrayProperties: { size: 3 },
    dependsOn: [{ jobId: 'id-1' }, { jobId: 'id-2', type: 'N_TO_N' }],
    parameters: { greeting: 'hi' },
    containerOverrides: {
      command: ['echo', 'x'],
      environment: [{ name: 'K', value: 'v' }],
      resourceRequirements: [
        { type: 'VCPU', value: '0.5' },
        { type: 'MEMORY', value: '64' },
      ],
    },
    retryStrategy: { attempts: 2 },
    timeout: { attemptDurationSeconds: 120 },
  };
  expect(submitRequest(['echo', 'x'], flags)).toEqual(expected);
  const [spec] = specsFromOptions(['echo', 'x'], flags);
  expect(buildSubmitJobRequest(spec, { jobQueue: spec.queue, jobDefinition: spec.jobDefinition })).toEqual(expected);
  expect(submitRequest([], { ...flags, shareIdentifier: 'teamA' }).shareIdentifier).toBe('teamA');
});

test('each command keeps its own messages, codes and --timeout minimum', () => {
  expect(() => submitRequest([], { jobDefinition: 'd' })).toThrow(
    expect.objectContaining({
      code: 'BATCHKIT-CLI-PROVISION-003',
      message:
        'batchkit submit needs --job-queue. Fix: pass --job-queue <name or ARN> ' +
        '--job-definition <name[:revision] or ARN>.',
    }),
  );
  expect(() => specsFromOptions([], { jobDefinition: 'd' })).toThrow(
    expect.objectContaining({
      code: 'BATCHKIT-CLI-LOCAL-009',
      message:
        'batchkit local run needs --job-queue (or --file). Fix: pass ' +
        '--job-queue <name> --job-definition <name>, or --file jobs.json.',
    }),
  );
  expect(() => submitRequest(['a'], { jobQueue: 'q', jobDefinition: 'd', command: 'b' })).toThrow(
    'the command is given twice',
  );
  expect(() => submitRequest([], { jobQueue: 'q', jobDefinition: 'd', timeout: '30' })).toThrow(
    '--timeout "30" is not valid: an integer from 60 to 100000000.',
  );
  expect(specsFromOptions([], { jobQueue: 'q', jobDefinition: 'd', timeout: '30' })[0].timeout).toBe(30);
  const ctx = { command: 'x', code: 'C', missingFix: 'f', minTimeoutSeconds: 1 };
  expect(specFromSubmitFlags([], { jobQueue: 'q', jobDefinition: 'name/with:odd chars:3' }, ctx).name).toBe(
    'with-odd-chars',
  );
});
