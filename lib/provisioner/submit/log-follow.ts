/**
 * `submit --follow`: reads a job's CloudWatch Logs stream with GetLogEvents (oldest first, paging on
 * `nextForwardToken`) each time the job is described, and hands every new line on. A retried job
 * writes each attempt to a stream of its own: the follower finishes the old stream and goes on with
 * the new one. A stream that does not exist yet (ResourceNotFoundException: the container has not
 * written, or the logs are not ingested yet) is asked for again at the next poll.
 */
import type * as batch from '@aws-sdk/client-batch';
import type { LogsApi } from '../clients/interfaces';
import { getLogEventsInput, isResourceNotFound, logPageFromSdk } from '../clients/logs-map';
import { realSleep } from '../clients/retry';
import { logLocation, type LogTail } from './follow';

/** The log streams of a job in the order its attempts ran: the finished attempts', then the running one's. */
export function logStreamsOf(job: batch.JobDetail): string[] {
  const out: string[] = [];
  const add = (s: string | undefined) => {
    if (s && !out.includes(s)) out.push(s);
  };
  for (const a of job.attempts ?? []) add(a.container?.logStreamName);
  add(job.container?.logStreamName);
  return out;
}

/** Options of {@link JobLogFollower}. */
export interface JobLogFollowerOptions {
  /** Receives each line (an event's message, without a newline), in order. */
  readonly write: (line: string) => void;
  /**
   * Receives a notice: a stream that never appeared, or a Logs error that stopped the follow.
   * @default - nothing
   */
  readonly note?: (message: string) => void;
  /**
   * Once the job ended, how many times a stream that does not exist yet is asked for (ingestion lags).
   * @default 3
   */
  readonly finalTries?: number;
  /**
   * Milliseconds between those tries.
   * @default 2000
   */
  readonly retryMs?: number;
  /**
   * Sleeps.
   * @default - setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Where a read of the job's streams stopped. */
export type LogPoll = 'read' | 'missing';

/** Follows the log streams of one job (see the module comment). */
export class JobLogFollower implements LogTail {
  private readonly streams: string[] = [];
  private index = 0;
  private token: string | undefined;
  private stopped = false;

  constructor(
    private readonly api: LogsApi,
    private readonly options: JobLogFollowerOptions,
  ) {}

  /**
   * Reads what is new in the job's streams: `missing` when its latest stream does not exist yet,
   * else `read` (also before the job has a stream).
   */
  async poll(job: batch.JobDetail): Promise<LogPoll> {
    if (this.stopped) return 'read';
    const { group } = logLocation(job);
    for (const s of logStreamsOf(job)) if (!this.streams.includes(s)) this.streams.push(s);
    while (this.index < this.streams.length) {
      const stream = this.streams[this.index];
      let found: boolean;
      try {
        found = await this.drain(group, stream);
      } catch (e) {
        this.stopped = true;
        const reason = e instanceof Error ? e.message : String(e);
        this.options.note?.(
          `batchkit: cannot read log stream ${stream} of group ${group} (${reason}); following the job status only`,
        );
        return 'read';
      }
      if (this.index === this.streams.length - 1) return found ? 'read' : 'missing';
      if (!found) this.options.note?.(`batchkit: log stream ${stream} of group ${group} does not exist; skipped`);
      this.index++;
      this.token = undefined;
    }
    return 'read';
  }

  /** Reads the streams of the ended job to their end, asking a few times for a stream not there yet. */
  async finish(job: batch.JobDetail): Promise<void> {
    const tries = this.options.finalTries ?? 3;
    const sleep = this.options.sleep ?? realSleep;
    for (let i = 1; ; i++) {
      if ((await this.poll(job)) === 'read') return;
      if (i >= tries) break;
      await sleep(this.options.retryMs ?? 2000);
    }
    this.options.note?.(
      `batchkit: log stream ${this.streams[this.index]} of group ${logLocation(job).group} does not exist ` +
        `(asked ${tries} times after the job ended)`,
    );
  }

  /** Reads one stream from the saved token to its end; false when it does not exist. */
  private async drain(group: string, stream: string): Promise<boolean> {
    for (;;) {
      let output;
      try {
        output = await this.api.getLogEvents(getLogEventsInput({ group, stream, token: this.token }));
      } catch (e) {
        if (isResourceNotFound(e)) return false;
        throw e;
      }
      const page = logPageFromSdk(output);
      for (const line of page.lines) this.options.write(line);
      const next = page.nextForwardToken;
      // At the end of a stream, CloudWatch Logs answers with the token it was given.
      if (next === undefined || next === this.token) return true;
      this.token = next;
      if (page.lines.length === 0) return true;
    }
  }
}
