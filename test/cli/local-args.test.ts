import * as fs from 'fs';
import * as os from 'os';
import { BatchkitError } from '../../lib/core/errors';
import { emptyBatchModel, type BatchModel } from '../../lib/core/model/batch-model';
import { parseCommand, parseDependency, parseInteger, parseKeyValues } from '../../lib/cli/local/args';
import { dependencyOrder, parseJobsFile, toSubmitRequest } from '../../lib/cli/local/job-spec';
import { formatCounts, progressBar, ProgressReporter } from '../../lib/cli/local/progress';
import { loadSecrets } from '../../lib/cli/local/session';
import { WebhookSink } from '../../lib/local/events/webhook-sink';

const model: BatchModel = {
  ...emptyBatchModel(),
  jobQueues: [{ jobQueueName: 'q', priority: 1, computeEnvironmentOrder: [], source: { logicalId: 'Queue' } }],
  jobDefinitions: [
    {
      jobDefinitionName: 'd',
      type: 'container',
      revision: 1,
      jobDefinitionArn: 'arn:aws:batch:us-east-1:123456789012:job-definition/d:1',
    },
    {
      jobDefinitionName: 'd',
      type: 'container',
      revision: 2,
      jobDefinitionArn: 'arn:aws:batch:us-east-1:123456789012:job-definition/d:2',
    },
    { jobDefinitionName: 'm', type: 'multinode', revision: 1 },
  ],
};

test('flag parsers accept good values and name the flag and allowed values otherwise', () => {
  expect(parseKeyValues('--env', ['A=1', 'B=x=y', 'A=2'])).toEqual({ A: '2', B: 'x=y' });
  expect(() => parseKeyValues('--env', ['=1'])).toThrow(
    '--env "=1" is not valid: expected KEY=VALUE with a non-empty key.',
  );
  expect(parseInteger('--array-size', '10', 2, 10_000)).toBe(10);
  expect(() => parseInteger('--array-size', '10001', 2, 10_000)).toThrow('an integer from 2 to 10000');
  expect(parseDependency('--depends-on', 'abc')).toEqual({ jobId: 'abc' });
  expect(parseDependency('--depends-on', 'abc:n_to_n')).toEqual({ jobId: 'abc', type: 'N_TO_N' });
  expect(parseDependency('--depends-on', 'abc:3')).toEqual({ jobId: 'abc:3' });
  expect(() => parseDependency('--depends-on', 'abc:ALL')).toThrow('the dependency type must be N_TO_N or SEQUENTIAL');
  expect(parseCommand('--command', `sh -c "echo 'hi there'"`)).toEqual(['sh', '-c', "echo 'hi there'"]);
  expect(parseCommand('--command', '["a","b c"]')).toEqual(['a', 'b c']);
  expect(() => parseCommand('--command', 'sh -c "x')).toThrow('the quote " is not closed');
});

test('a jobs file is read with field paths in errors and ordered by dependencies; cycles are refused', () => {
  const specs = parseJobsFile(
    'jobs.json',
    JSON.stringify({
      jobs: [
        { name: 'B', queue: 'q', jobDefinition: 'd', dependsOn: ['A:N_TO_N'] },
        { name: 'A', queue: 'q', jobDefinition: 'd', arraySize: 3 },
      ],
    }),
  );
  expect(dependencyOrder(specs).map((s) => s.name)).toEqual(['A', 'B']);
  expect(() => parseJobsFile('jobs.json', '{"jobs":[{"name":"A","queue":"q"}]}')).toThrow(
    'jobs.json: jobs[0].jobDefinition: expected a non-empty string.',
  );
  expect(() => parseJobsFile('jobs.json', '{"jobs":[{"name":"A","queue":"q","jobDefinition":"d","vcpu":1}]}')).toThrow(
    'jobs[0].vcpu: unknown field',
  );
  const cyclic = parseJobsFile(
    'f',
    JSON.stringify([
      { name: 'A', queue: 'q', jobDefinition: 'd', dependsOn: ['B'] },
      { name: 'B', queue: 'q', jobDefinition: 'd', dependsOn: ['A'] },
    ]),
  );
  expect(() => dependencyOrder(cyclic, 'f')).toThrow('dependency cycle A -> B -> A');
});

test("a jobs file takes SubmitJob's jobName/jobQueue too; both names with different values are refused", () => {
  const specs = parseJobsFile(
    'jobs.json',
    JSON.stringify([
      { jobName: 'A', jobQueue: 'q1', jobDefinition: 'd' },
      { name: 'B', jobName: 'B', queue: 'q2', jobQueue: 'q2', jobDefinition: 'd', dependsOn: ['A'] },
    ]),
  );
  expect(specs.map((s) => [s.name, s.queue])).toEqual([
    ['A', 'q1'],
    ['B', 'q2'],
  ]);
  const error = (text: string): BatchkitError => {
    try {
      parseJobsFile('jobs.json', text);
    } catch (e) {
      if (e instanceof BatchkitError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  const names = error(
    JSON.stringify([
      { name: 'A', queue: 'q', jobDefinition: 'd' },
      { name: 'B', jobName: 'C', queue: 'q', jobDefinition: 'd' },
    ]),
  );
  expect(names.code).toBe('BATCHKIT-CLI-LOCAL-004');
  expect(names.kind).toBe('input');
  expect(names.message).toContain(
    'jobs.json: jobs[1]: "name" ("B") and "jobName" ("C") name the same thing and differ.',
  );
  expect(names.message).toContain('keep one of "name" and "jobName"');
  const queues = error(JSON.stringify({ jobs: [{ jobName: 'A', queue: 'q', jobQueue: 'r', jobDefinition: 'd' }] }));
  expect(queues.message).toContain('jobs.json: jobs[0]: "queue" ("q") and "jobQueue" ("r") name the same thing');
  expect(error('[{"jobQueue":"q","jobDefinition":"d"}]').message).toContain(
    'jobs.json: jobs[0].name: expected a non-empty string. Fix: set "name": "..." (or its SubmitJob name "jobName")',
  );
});

test('requests use the latest revision, logical ids, typed overrides and node overrides for multi-node', () => {
  const ids = new Map([['A', 'id-a']]);
  expect(
    toSubmitRequest(
      model,
      {
        name: 'B',
        queue: 'Queue',
        jobDefinition: 'd',
        dependsOn: [{ ref: 'A', type: 'N_TO_N' }, { ref: 'other-id' }],
        command: ['x'],
        environment: { K: 'v' },
        vcpus: 0.5,
        memory: 64,
        retryAttempts: 3,
        timeout: 120,
      },
      ids,
    ),
  ).toEqual({
    jobName: 'B',
    jobQueue: 'q',
    jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/d:2',
    dependsOn: [{ jobId: 'id-a', type: 'N_TO_N' }, { jobId: 'other-id' }],
    containerOverrides: {
      command: ['x'],
      environment: [{ name: 'K', value: 'v' }],
      resourceRequirements: [
        { type: 'VCPU', value: '0.5' },
        { type: 'MEMORY', value: '64' },
      ],
    },
    retryStrategy: { attempts: 3 },
    timeout: { attemptDurationSeconds: 120 },
  });
  expect(
    toSubmitRequest(model, { name: 'M', queue: 'q', jobDefinition: 'm', command: ['y'] }, ids).nodeOverrides,
  ).toEqual({
    nodePropertyOverrides: [{ targetNodes: '0:', containerOverrides: { command: ['y'] } }],
  });
  expect(() => toSubmitRequest(model, { name: 'X', queue: 'q', jobDefinition: 'nope' }, ids)).toThrow(
    'Known job definitions: d, d, m.',
  );
});

test('progress: counts, bar, and throttled array lines off a terminal', () => {
  expect(formatCounts({ RUNNING: 2, SUCCEEDED: 3, FAILED: 0 })).toBe('RUNNING 2  SUCCEEDED 3');
  expect(progressBar(1, 4, 8)).toBe('[##------]');
  const out: string[] = [];
  let now = 0;
  const r = new ProgressReporter({ write: (t) => out.push(t), isTTY: false }, () => now, 1000);
  r.track('p', 'arr');
  r.drawArray('p', 4, { RUNNING: 2, RUNNABLE: 2 }, 'PENDING');
  now = 500;
  r.drawArray('p', 4, { RUNNING: 2, SUCCEEDED: 2 }, 'PENDING');
  r.drawArray('p', 4, { SUCCEEDED: 4 }, 'SUCCEEDED');
  expect(out).toEqual(['arr: 0/4 done  RUNNABLE 2  RUNNING 2\n', 'arr: 4/4 done  SUCCEEDED 4\n']);
});

test('secrets from a file or the environment; webhooks only on loopback', () => {
  const file = `${os.tmpdir()}/batchkit-secrets-${process.pid}.json`;
  fs.writeFileSync(file, JSON.stringify({ 'arn:a': 'v1', 'arn:b': { env: 'BK_TEST_SECRET' } }));
  try {
    expect(loadSecrets(file, { BK_TEST_SECRET: 'v2' })).toEqual({ 'arn:a': 'v1', 'arn:b': 'v2' });
    expect(() => loadSecrets(file, {})).toThrow(
      '"arn:b" reads the environment variable BK_TEST_SECRET, which is not set',
    );
  } finally {
    fs.rmSync(file, { force: true });
  }
  expect(new WebhookSink('http://127.0.0.1:9000/x').name).toBe('webhook:http://127.0.0.1:9000/x');
  expect(() => new WebhookSink('http://example.com/x')).toThrow('must be an http:// URL on this machine');
});

test('a --file that is not JSON: the error names the file, line and reason, never its content', () => {
  expect(() => parseJobsFile('/etc/shadow', 'root:$6$secret-hash:19000:0:99999:7:::\n')).toThrow(
    '/etc/shadow: JSON: not valid JSON at a character JSON does not allow there (it may not be a JSON file).',
  );
  let message = '';
  try {
    parseJobsFile('jobs.json', '{"jobs": [\n  {"name": "secret-token-123" "queue": "q"}]}');
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain('jobs.json: JSON: not valid JSON at line 2, column 31: a missing comma or bracket.');
  expect(message).not.toContain('secret-token-123');
});
