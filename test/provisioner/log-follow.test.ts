/** `submit --follow`'s log reader against a fake CloudWatch Logs API: paging, retried attempts, late streams. */
import type { JobDetail } from '@aws-sdk/client-batch';
import type { GetLogEventsCommandInput, GetLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsApi } from '../../lib/provisioner/clients/interfaces';
import { JobLogFollower, logStreamsOf } from '../../lib/provisioner/submit/log-follow';

/** Streams of one group, served two events a page with `f/<index>` tokens, as CloudWatch pages them. */
class FakeLogs implements LogsApi {
  readonly streams = new Map<string, string[]>();
  readonly calls: GetLogEventsCommandInput[] = [];
  failWith?: Error;
  /** Runs before each call is answered, with the call's number (1, 2, ...). */
  beforeAnswer?: (call: number) => void;

  async getLogEvents(input: GetLogEventsCommandInput): Promise<GetLogEventsCommandOutput> {
    this.calls.push(input);
    this.beforeAnswer?.(this.calls.length);
    if (this.failWith) throw this.failWith;
    const lines = input.logGroupName === '/aws/batch/job' ? this.streams.get(input.logStreamName ?? '') : undefined;
    if (!lines) {
      const e = new Error(`The specified log stream does not exist: ${input.logStreamName}`);
      e.name = 'ResourceNotFoundException';
      throw e;
    }
    const start = input.nextToken === undefined ? 0 : Number(input.nextToken.slice(2));
    const end = Math.min(lines.length, start + 2);
    return {
      $metadata: {},
      events: lines.slice(start, end).map((message, i) => ({ message, timestamp: start + i })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  }
}

function job(status: JobDetail['status'], current: string | undefined, finished: readonly string[] = []): JobDetail {
  return {
    jobName: 'hello',
    jobId: 'j-1',
    jobQueue: 'q',
    jobDefinition: 'd',
    status,
    startedAt: 1,
    attempts: finished.map((logStreamName) => ({ container: { logStreamName } })),
    container: current === undefined ? {} : { logStreamName: current },
  };
}

function follower(api: LogsApi) {
  const lines: string[] = [];
  const notes: string[] = [];
  const sleeps: number[] = [];
  const f = new JobLogFollower(api, {
    write: (l) => lines.push(l),
    note: (n) => notes.push(n),
    retryMs: 7,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { f, lines, notes, sleeps };
}

test('reads a stream from its head page by page, then only what was written since', async () => {
  const api = new FakeLogs();
  api.streams.set('d/default/a1', ['one', 'two', 'three', 'four', 'five']);
  const { f, lines } = follower(api);
  expect(await f.poll(job('RUNNING', 'd/default/a1'))).toBe('read');
  expect(lines).toEqual(['one', 'two', 'three', 'four', 'five']);
  expect(api.calls.map((c) => [c.startFromHead, c.nextToken])).toEqual([
    [true, undefined],
    [true, 'f/2'],
    [true, 'f/4'],
    [true, 'f/5'],
  ]);
  expect(api.calls.every((c) => c.logGroupName === '/aws/batch/job' && c.logStreamName === 'd/default/a1')).toBe(true);
  api.streams.get('d/default/a1')?.push('six', 'seven');
  api.calls.length = 0;
  expect(await f.poll(job('RUNNING', 'd/default/a1'))).toBe('read');
  expect(lines.slice(5)).toEqual(['six', 'seven']);
  expect(api.calls.map((c) => c.nextToken)).toEqual(['f/5', 'f/7']);
});

test('a retried job: the old attempt is read to its end, then the new attempt from its head', async () => {
  const api = new FakeLogs();
  api.streams.set('d/default/a1', ['try 1']);
  const { f, lines } = follower(api);
  await f.poll(job('RUNNING', 'd/default/a1'));
  api.streams.get('d/default/a1')?.push('try 1 fails');
  api.streams.set('d/default/a2', ['try 2', 'try 2 done']);
  // The job as DescribeJobs shows it once the second attempt runs: the first in attempts[], the second current.
  expect(await f.poll(job('RUNNING', 'd/default/a2', ['d/default/a1']))).toBe('read');
  expect(lines).toEqual(['try 1', 'try 1 fails', 'try 2', 'try 2 done']);
  api.streams.get('d/default/a2')?.push('last');
  await f.finish(job('SUCCEEDED', 'd/default/a2', ['d/default/a1', 'd/default/a2']));
  expect(lines).toEqual(['try 1', 'try 1 fails', 'try 2', 'try 2 done', 'last']);
  expect(api.calls.filter((c) => c.logStreamName === 'd/default/a2')[0].nextToken).toBeUndefined();
});

test('attempts that started and ended between two polls are all read, in order', async () => {
  expect(logStreamsOf(job('RUNNING', 's3', ['s1', 's2']))).toEqual(['s1', 's2', 's3']);
  expect(logStreamsOf(job('SUCCEEDED', 's2', ['s1', 's2']))).toEqual(['s1', 's2']);
  expect(logStreamsOf(job('RUNNABLE', undefined))).toEqual([]);
  const api = new FakeLogs();
  api.streams.set('s1', ['a']);
  api.streams.set('s2', ['b']);
  api.streams.set('s3', ['c']);
  const { f, lines } = follower(api);
  await f.poll(job('RUNNABLE', undefined));
  expect(api.calls).toEqual([]);
  await f.poll(job('RUNNING', 's3', ['s1', 's2']));
  expect(lines).toEqual(['a', 'b', 'c']);
});

test('a stream that does not exist yet is asked for again until it does', async () => {
  const api = new FakeLogs();
  const { f, lines, notes } = follower(api);
  expect(await f.poll(job('RUNNING', 'late'))).toBe('missing');
  expect(await f.poll(job('RUNNING', 'late'))).toBe('missing');
  expect(lines).toEqual([]);
  api.streams.set('late', ['here now']);
  expect(await f.poll(job('RUNNING', 'late'))).toBe('read');
  expect(lines).toEqual(['here now']);
  expect(notes).toEqual([]);
  expect(api.calls.map((c) => c.nextToken)).toEqual([undefined, undefined, undefined, 'f/1']);
});

test('after the job ended, a missing stream is asked for a bounded number of times, then noted', async () => {
  const api = new FakeLogs();
  const { f, lines, notes, sleeps } = follower(api);
  await f.finish(job('FAILED', 'never'));
  expect(lines).toEqual([]);
  expect(api.calls).toHaveLength(3);
  expect(sleeps).toEqual([7, 7]);
  expect(notes).toEqual([
    'batchkit: log stream never of group /aws/batch/job does not exist (asked 3 times after the job ended)',
  ]);
  // Ingested late: found on the second try after the end.
  const late = new FakeLogs();
  const second = follower(late);
  const ended = job('SUCCEEDED', 'slow');
  late.beforeAnswer = (call) => {
    if (call === 2) late.streams.set('slow', ['finally']);
  };
  await second.f.finish(ended);
  expect(second.lines).toEqual(['finally']);
  expect(second.notes).toEqual([]);
  expect(second.sleeps).toEqual([7]);
});

test('any other Logs error stops the log follow with a notice; the job is still followed', async () => {
  const api = new FakeLogs();
  api.streams.set('s1', ['a']);
  const denied = new Error('User is not authorized to perform: logs:GetLogEvents');
  denied.name = 'AccessDeniedException';
  api.failWith = denied;
  const { f, lines, notes } = follower(api);
  expect(await f.poll(job('RUNNING', 's1'))).toBe('read');
  api.failWith = undefined;
  await f.finish(job('SUCCEEDED', 's1'));
  expect(lines).toEqual([]);
  expect(api.calls).toHaveLength(1);
  expect(notes).toEqual([
    'batchkit: cannot read log stream s1 of group /aws/batch/job (User is not authorized to perform: ' +
      'logs:GetLogEvents); following the job status only',
  ]);
});
