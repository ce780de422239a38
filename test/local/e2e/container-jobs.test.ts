/**
 * Single container jobs end to end on Docker: parameters, overrides, AWS_BATCH_* variables,
 * retries with evaluateOnExit, timeouts, OOM, missing images, secrets.
 */
import { def, dockerHarness, messages, model, type DockerHarness } from './support';

let h: DockerHarness;

beforeAll(async () => {
  h = await dockerHarness(
    model([
      def(
        'params',
        [
          'sh',
          '-c',
          'echo "$0 $1|$AWS_BATCH_JQ_NAME|$AWS_BATCH_CE_NAME|$AWS_BATCH_JOB_ATTEMPT|$MODE|$AWS_BATCH_JOB_ID"',
          'Ref::greeting',
          'Ref::who',
        ],
        {
          parameters: { greeting: 'hello', who: 'default' },
        },
        { environment: [{ name: 'MODE', value: 'from-definition' }] },
      ),
      def(
        'flaky',
        ['sh', '-c', 'echo attempt $AWS_BATCH_JOB_ATTEMPT; [ "$AWS_BATCH_JOB_ATTEMPT" -ge 3 ] && exit 0; exit 3'],
        {
          retryStrategy: {
            attempts: 4,
            evaluateOnExit: [
              { onExitCode: '3', action: 'RETRY' },
              { onExitCode: '*', action: 'EXIT' },
            ],
          },
        },
      ),
      def('exits', ['sh', '-c', 'exit 42'], {
        retryStrategy: { attempts: 3, evaluateOnExit: [{ onExitCode: '4*', action: 'EXIT' }] },
      }),
      def('sleeper', ['sleep', '30'], { retryStrategy: { attempts: 2 }, timeout: { attemptDurationSeconds: 60 } }),
      // Sleeps first: an OOM in a container's first milliseconds can beat the engine's OOM watcher.
      def(
        'hog',
        ['sh', '-c', 'sleep 0.2; dd if=/dev/zero bs=64M count=1 of=/dev/null'],
        {},
        {
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '16' },
          ],
        },
      ),
      def(
        'missing-image',
        ['true'],
        {
          retryStrategy: { attempts: 2, evaluateOnExit: [{ onReason: 'CannotPullContainerError:*', action: 'EXIT' }] },
        },
        { image: 'nope/not-here:1' },
      ),
      def(
        'secretive',
        ['sh', '-c', 'echo "token length ${#TOKEN}"'],
        {},
        {
          secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:token' }],
        },
      ),
      def(
        'secret-missing',
        ['true'],
        {},
        { secrets: [{ name: 'OTHER', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/absent' }] },
      ),
    ]),
    { timeScale: 60, secrets: { 'arn:aws:secretsmanager:us-east-1:123456789012:secret:token': 's3cr3t' } },
  );
});

afterAll(async () => {
  await h.close();
});

test(
  'parameters overlay the defaults, overrides and AWS_BATCH_* variables ' + 'reach the container, states in order',
  async () => {
    const d = await h.run({
      jobName: 'params-job',
      jobDefinition: 'params',
      parameters: { who: 'submitted' },
      containerOverrides: { environment: [{ name: 'MODE', value: 'overridden' }] },
    });
    expect(d.status).toBe('SUCCEEDED');
    expect(messages(h.executor, d.jobId)).toEqual([`hello submitted|q|ce1|1|overridden|${d.jobId}`]);
    const seq = h.statuses(d.jobId);
    expect(seq.slice(-4)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts?.[0].container?.exitCode).toBe(0);
    expect(d.attempts?.[0].container?.logStreamName).toMatch(/^params\/default\/[0-9a-f]{32}$/);
    expect(d.startedAt).toBeGreaterThanOrEqual(d.createdAt ?? 0);
    expect(d.stoppedAt).toBeGreaterThanOrEqual(d.startedAt ?? 0);
  },
);

test('evaluateOnExit RETRY on exit 3 retries until attempt 3 succeeds', async () => {
  const d = await h.run({ jobName: 'flaky-job', jobDefinition: 'flaky' });
  expect(d.status).toBe('SUCCEEDED');
  expect(d.attempts?.map((a) => a.container?.exitCode)).toEqual([3, 3, 0]);
  expect(messages(h.executor, d.jobId, 1)).toEqual(['attempt 1']);
  expect(messages(h.executor, d.jobId, 3)).toEqual(['attempt 3']);
});

test('evaluateOnExit EXIT on 4* stops after the first attempt', async () => {
  const d = await h.run({ jobName: 'exits-job', jobDefinition: 'exits' });
  expect(d.status).toBe('FAILED');
  expect(d.attempts).toHaveLength(1);
  expect(d.attempts?.[0].container?.exitCode).toBe(42);
  expect(d.statusReason).toBe('Essential container in task exited');
});

test(
  'a 60 s timeout fires after 1 s with timeScale 60: SIGTERM, SIGKILL ' +
    'after the grace period, FAILED and not retried',
  async () => {
    const t0 = Date.now();
    const d = await h.run({ jobName: 'sleeper-job', jobDefinition: 'sleeper' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toBe('Job attempt duration exceeded timeout');
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts?.[0].container?.exitCode).toBe(137);
  },
);

test('a container over its memory is OOM-killed with AWS reason', async () => {
  const d = await h.run({ jobName: 'hog-job', jobDefinition: 'hog' });
  expect(d.status).toBe('FAILED');
  expect(d.attempts?.[0].container?.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
  expect(d.attempts?.[0].container?.exitCode).toBe(137);
});

test('a missing image fails the attempt with CannotPullContainerError, and onReason EXIT stops retries', async () => {
  const d = await h.run({ jobName: 'missing-job', jobDefinition: 'missing-image' });
  expect(d.status).toBe('FAILED');
  expect(d.attempts).toHaveLength(1);
  expect(d.attempts?.[0].container?.reason).toMatch(
    new RegExp(
      String.raw`^CannotPullContainerError: Error response from daemon: No su` + String.raw`ch image: nope\/not-here:1`,
    ),
  );
  // The job-level reason is the executor's to choose (AWS shows the pull error or "Task failed to start").
  expect(d.statusReason).toMatch(/^(Task failed to start|CannotPullContainerError: )/);
});

test('secrets come from the given values and are not in the job record; a missing one fails the attempt', async () => {
  const ok = await h.run({ jobName: 'secret-job', jobDefinition: 'secretive' });
  expect(ok.status).toBe('SUCCEEDED');
  expect(messages(h.executor, ok.jobId)).toEqual(['token length 6']);
  expect(JSON.stringify(ok)).not.toContain('s3cr3t');
  const missing = await h.run({ jobName: 'secret-missing-job', jobDefinition: 'secret-missing' });
  expect(missing.status).toBe('FAILED');
  expect(missing.attempts?.[0].container?.reason).toMatch(
    /arn:aws:ssm:us-east-1:123456789012:parameter\/absent.*OTHER/,
  );
});
