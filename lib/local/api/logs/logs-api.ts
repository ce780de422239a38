/**
 * The CloudWatch Logs subset applications read Batch job logs with — DescribeLogGroups,
 * DescribeLogStreams, GetLogEvents, FilterLogEvents — over the lines the executor stores for each
 * attempt. A job's log stream is its attempt's `logStreamName`; its log group is the job
 * definition's `awslogs-group` option (`logConfiguration.logDriver: awslogs`), else `/aws/batch/job`.
 * Events are the stored lines in order; `timestamp` is the engine's time of the line (the attempt's
 * start when the engine gave none) and `ingestionTime` equals it (nothing is shipped anywhere).
 */
import { createHash } from 'node:crypto';
import type { DeploymentEnvironment } from '../../../core/model/batch-model';
import type { JobLogStream } from '../../executor';
import type { LogEntry } from '../../runtime/log-demux';
import { BatchApiError } from '../errors';
import { paginate } from '../pagination';
import { validateShape } from '../shape';
import { FilterPatternError, matchesFilterPattern, parseFilterPattern } from './filter-pattern';
import { LOGS_OPERATION_SHAPES } from './logs-shapes';
import type {
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  LogGroup,
  LogStream,
} from './logs-types';

/** The log group of jobs whose definition sets none (AWS Batch's default). */
export const DEFAULT_LOG_GROUP = '/aws/batch/job';

/** Error types of the served operations. */
export type LogsErrorType = 'InvalidParameterException' | 'ResourceNotFoundException' | 'ServiceUnavailableException';

/** An error of the CloudWatch Logs API (awsJson1.1: `{"__type", "message"}`). */
export class LogsApiError extends Error {
  /** HTTP status. */
  readonly statusCode: 400 | 500;

  constructor(
    readonly type: LogsErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
    this.statusCode = type === 'ServiceUnavailableException' ? 500 : 400;
  }

  /** The JSON body AWS sends for this error. */
  body(): { __type: LogsErrorType; message: string } {
    return { __type: this.type, message: this.message };
  }
}

/** Where the logs come from (the executor has both methods). */
export interface LogSource {
  /** The stream of every attempt that started. */
  logStreams(): JobLogStream[];
  /** The stored lines of one stream. */
  logStreamLines(logStreamName: string): LogEntry[];
}

/** Options of {@link LocalLogsApi}. */
export interface LocalLogsApiOptions {
  /** Account, region and partition of the ARNs. */
  readonly env: DeploymentEnvironment;
  /** The executor (or anything with its log methods). */
  readonly source: LogSource;
  /** The `awslogs-group` of a job definition ARN, or undefined for the default group. */
  readonly groupOf: (jobDefinitionArn: string) => string | undefined;
  /** Groups named by registered job definitions (listed even before a job wrote to them). @default - none */
  readonly declaredGroups?: () => readonly string[];
  /** When the API started (creation time of groups without streams). @default Date.now() at construction */
  readonly startedAt?: number;
}

interface Stream extends JobLogStream {
  readonly group: string;
}

interface Event {
  readonly timestamp: number;
  readonly message: string;
}

/** The local CloudWatch Logs API. */
export class LocalLogsApi {
  private readonly startedAt: number;

  constructor(private readonly options: LocalLogsApiOptions) {
    this.startedAt = options.startedAt ?? Date.now();
  }

  /** Runs an operation on an untyped input after checking it against the operation's shape. */
  call(operation: string, input: unknown): unknown {
    const shape = LOGS_OPERATION_SHAPES[operation];
    if (!shape) {
      throw new LogsApiError(
        'InvalidParameterException',
        `Operation ${operation} is not served by batchkit's local CloudWatch ` +
          `Logs API; served: ${Object.keys(LOGS_OPERATION_SHAPES).join(', ')}.`,
      );
    }
    let checked: unknown;
    try {
      checked = validateShape(input ?? {}, shape);
    } catch (e) {
      throw asLogsError(e);
    }
    const i = checked as never;
    try {
      switch (operation) {
        case 'DescribeLogGroups':
          return this.describeLogGroups(i);
        case 'DescribeLogStreams':
          return this.describeLogStreams(i);
        case 'GetLogEvents':
          return this.getLogEvents(i);
        default:
          return this.filterLogEvents(i);
      }
    } catch (e) {
      throw asLogsError(e);
    }
  }

  /** DescribeLogGroups: by name, prefix or (case-insensitive) pattern; 50 a page. */
  describeLogGroups(request: DescribeLogGroupsRequest): DescribeLogGroupsResponse {
    if (request.logGroupNamePrefix !== undefined && request.logGroupNamePattern !== undefined) {
      throw invalid('logGroupNamePrefix and logGroupNamePattern cannot be used together. Fix: pass one of them.');
    }
    const streams = this.streams();
    let names = this.groupNames(streams);
    if (request.logGroupNamePrefix !== undefined)
      names = names.filter((n) => n.startsWith(request.logGroupNamePrefix as string));
    if (request.logGroupNamePattern !== undefined) {
      const p = request.logGroupNamePattern.toLowerCase();
      names = names.filter((n) => n.toLowerCase().includes(p));
    }
    if (request.logGroupIdentifiers !== undefined) {
      const wanted = new Set(request.logGroupIdentifiers.map((g) => groupNameOf(g)));
      names = names.filter((n) => wanted.has(n));
    }
    if (request.logGroupClass !== undefined && request.logGroupClass !== 'STANDARD') names = [];
    const { limit, nextToken, ...query } = request;
    const page = paginate(names, (n) => [n], {
      operation: 'DescribeLogGroups',
      query,
      maxResults: limit,
      nextToken,
      limit: 50,
    });
    return { logGroups: page.items.map((n) => this.group(n, streams)), nextToken: page.nextToken };
  }

  /** DescribeLogStreams of one group: by name (default) or last event time, ascending unless `descending`. */
  describeLogStreams(request: DescribeLogStreamsRequest): DescribeLogStreamsResponse {
    const group = this.requireGroup(request.logGroupName, request.logGroupIdentifier);
    if (request.orderBy === 'LastEventTime' && request.logStreamNamePrefix !== undefined) {
      throw invalid(
        'Cannot order by LastEventTime with a logStreamNamePrefix. Fix: order ' +
          'by LogStreamName, or drop the prefix.',
      );
    }
    let streams = this.streams().filter((s) => s.group === group);
    if (request.logStreamNamePrefix !== undefined)
      streams = streams.filter((s) => s.logStreamName.startsWith(request.logStreamNamePrefix as string));
    const described = streams.map((s) => this.describeStream(s));
    const sign = request.descending ? -1 : 1;
    const byTime = request.orderBy === 'LastEventTime';
    const { limit, nextToken, ...query } = request;
    const page = paginate(
      described,
      (s) =>
        byTime
          ? [sign * (s.lastEventTimestamp ?? s.creationTime ?? 0), s.logStreamName]
          : [sign < 0 ? invert(s.logStreamName) : s.logStreamName],
      { operation: 'DescribeLogStreams', query, maxResults: limit, nextToken, limit: 50 },
    );
    return { logStreams: page.items, nextToken: page.nextToken };
  }

  /**
   * GetLogEvents of one stream: the newest `limit` events (default 10,000), or the oldest with
   * `startFromHead`; `f/…` and `b/…` tokens page forward and backward, and at the end of the
   * stream the forward token comes back unchanged.
   */
  getLogEvents(request: GetLogEventsRequest): GetLogEventsResponse {
    const group = this.requireGroup(request.logGroupName, request.logGroupIdentifier);
    const stream = this.streams().find((s) => s.group === group && s.logStreamName === request.logStreamName);
    if (!stream)
      throw new LogsApiError(
        'ResourceNotFoundException',
        `The specified log stream does not exist: ${request.logStreamName} in log group ${group}.`,
      );
    const events = this.events(stream).filter((e) => inRange(e.timestamp, request.startTime, request.endTime));
    const limit = request.limit ?? 10000;
    let start: number;
    let end: number;
    if (request.nextToken !== undefined) {
      const m = /^([fb])\/(\d{1,56})$/.exec(request.nextToken);
      if (!m)
        throw invalid(
          `The specified nextToken is invalid: ` +
            `${JSON.stringify(request.nextToken)}. Fix: pass a nextForwardToken or ` +
            `nextBackwardToken of an earlier answer.`,
        );
      const at = Math.min(Number(m[2]), events.length);
      [start, end] = m[1] === 'f' ? [at, Math.min(events.length, at + limit)] : [Math.max(0, at - limit), at];
    } else if (request.startFromHead) {
      [start, end] = [0, Math.min(events.length, limit)];
    } else {
      [start, end] = [Math.max(0, events.length - limit), events.length];
    }
    return {
      events: events
        .slice(start, end)
        .map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.timestamp })),
      nextForwardToken: `f/${String(end).padStart(56, '0')}`,
      nextBackwardToken: `b/${String(start).padStart(56, '0')}`,
    };
  }

  /** FilterLogEvents: the events of a group's streams that match the pattern, oldest first, across streams. */
  filterLogEvents(request: FilterLogEventsRequest): FilterLogEventsResponse {
    const group = this.requireGroup(request.logGroupName, request.logGroupIdentifier);
    if (request.logStreamNames !== undefined && request.logStreamNamePrefix !== undefined) {
      throw invalid('logStreamNames and logStreamNamePrefix cannot be used together. Fix: pass one of them.');
    }
    let pattern;
    try {
      pattern = parseFilterPattern(request.filterPattern ?? '');
    } catch (e) {
      if (e instanceof FilterPatternError) throw invalid(e.message);
      throw e;
    }
    let streams = this.streams().filter((s) => s.group === group);
    if (request.logStreamNames !== undefined) {
      const wanted = new Set(request.logStreamNames);
      streams = streams.filter((s) => wanted.has(s.logStreamName));
    }
    if (request.logStreamNamePrefix !== undefined)
      streams = streams.filter((s) => s.logStreamName.startsWith(request.logStreamNamePrefix as string));
    const matched: Array<{ logStreamName: string; index: number; timestamp: number; message: string }> = [];
    for (const s of streams) {
      this.events(s).forEach((e, index) => {
        if (inRange(e.timestamp, request.startTime, request.endTime) && matchesFilterPattern(pattern, e.message)) {
          matched.push({ logStreamName: s.logStreamName, index, timestamp: e.timestamp, message: e.message });
        }
      });
    }
    const { limit, nextToken, interleaved: _i, unmask: _u, ...query } = request;
    const page = paginate(matched, (e) => [e.timestamp, e.logStreamName, e.index], {
      operation: 'FilterLogEvents',
      query,
      maxResults: limit,
      nextToken,
      limit: 10000,
    });
    return {
      events: page.items.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.timestamp,
        eventId: eventIdOf(e.logStreamName, e.index, e.timestamp),
      })),
      nextToken: page.nextToken,
    };
  }

  private streams(): Stream[] {
    return this.options.source
      .logStreams()
      .map((s) => ({ ...s, group: this.options.groupOf(s.jobDefinition) ?? DEFAULT_LOG_GROUP }));
  }

  private groupNames(streams: readonly Stream[]): string[] {
    return [
      ...new Set([DEFAULT_LOG_GROUP, ...(this.options.declaredGroups?.() ?? []), ...streams.map((s) => s.group)]),
    ].sort();
  }

  private requireGroup(name: string | undefined, identifier: string | undefined): string {
    if (name !== undefined && identifier !== undefined) {
      throw invalid('logGroupName and logGroupIdentifier cannot be used together. Fix: pass one of them.');
    }
    const ref = name ?? identifier;
    if (ref === undefined)
      throw invalid(
        'Either logGroupName or logGroupIdentifier is required. Fix: pass ' +
          "/aws/batch/job or your job definition's awslogs-group.",
      );
    const group = groupNameOf(ref);
    if (!this.groupNames(this.streams()).includes(group)) {
      throw new LogsApiError(
        'ResourceNotFoundException',
        `The specified log group does not exist: ${group}. Fix: ` +
          `DescribeLogGroups lists the groups (${DEFAULT_LOG_GROUP} and the awslogs-group of job definitions).`,
      );
    }
    return group;
  }

  private group(name: string, streams: readonly Stream[]): LogGroup {
    const own = streams.filter((s) => s.group === name);
    const arn =
      `arn:${this.options.env.partition}:logs:${this.options.env.region}:` +
      `${this.options.env.account}:log-group:${name}`;
    return {
      logGroupName: name,
      creationTime: Math.min(this.startedAt, ...own.map((s) => s.startedAt)),
      metricFilterCount: 0,
      arn: `${arn}:*`,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
      logGroupArn: arn,
    };
  }

  private describeStream(s: Stream): LogStream {
    const events = this.events(s);
    const first = events[0];
    const last = events[events.length - 1];
    return {
      logStreamName: s.logStreamName,
      creationTime: s.startedAt,
      ...(first
        ? {
            firstEventTimestamp: first.timestamp,
            lastEventTimestamp: last.timestamp,
            lastIngestionTime: last.timestamp,
          }
        : {}),
      arn:
        `arn:${this.options.env.partition}:logs:${this.options.env.region}:` +
        `${this.options.env.account}:log-group:${s.group}:log-stream:${s.logStreamName}`,
      storedBytes: 0,
    };
  }

  private events(s: Stream): Event[] {
    return this.options.source
      .logStreamLines(s.logStreamName)
      .map((l) => ({ timestamp: epochMs(l.timestamp) ?? s.startedAt, message: l.message }));
  }
}

/** The name in a log group ARN (`arn:aws:logs:r:a:log-group:NAME[:*]`), or the name itself. */
function groupNameOf(ref: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(ref);
  return m ? m[1] : ref;
}

function inRange(t: number, start: number | undefined, end: number | undefined): boolean {
  return (start === undefined || t >= start) && (end === undefined || t < end);
}

/** RFC 3339 with up to nanoseconds → epoch ms; undefined for an empty or unreadable time. */
function epochMs(timestamp: string): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Reverses string order for descending pages (each code unit complemented). */
function invert(s: string): string {
  return [...s].map((c) => String.fromCharCode(0xffff - c.charCodeAt(0))).join('') + '\uffff';
}

function eventIdOf(stream: string, index: number, timestamp: number): string {
  const h = BigInt(`0x${createHash('sha256').update(stream).digest('hex').slice(0, 12)}`)
    .toString()
    .padStart(15, '0');
  return `${String(timestamp).padStart(16, '0')}${h}${String(index).padStart(10, '0')}`;
}

function invalid(message: string): LogsApiError {
  return new LogsApiError('InvalidParameterException', message);
}

/** Shape and pagination problems (ClientExceptions of the shared validator) become InvalidParameterException. */
function asLogsError(e: unknown): LogsApiError {
  if (e instanceof LogsApiError) return e;
  if (e instanceof BatchApiError)
    return new LogsApiError(
      e.type === 'ClientException' ? 'InvalidParameterException' : 'ServiceUnavailableException',
      e.message,
    );
  return new LogsApiError(
    'ServiceUnavailableException',
    `Internal error in the local CloudWatch Logs API: ${e instanceof Error ? e.message : String(e)}`,
  );
}
