/**
 * CloudWatch Logs SDK shapes ⇄ what `submit --follow` reads: the request of one GetLogEvents page
 * and the page's lines, mapped field by field (an event without a message is no line).
 */
import type * as logs from '@aws-sdk/client-cloudwatch-logs';
import { errorName } from './retry';

/** Where to read: one stream of one group, from the head or from a forward token. */
export interface LogPageRequest {
  /** Log group. */
  readonly group: string;
  /** Log stream. */
  readonly stream: string;
  /** `nextForwardToken` of the previous page. @default - the head of the stream */
  readonly token?: string;
}

/** One page of a stream. */
export interface LogPage {
  /** The lines, oldest first. */
  readonly lines: readonly string[];
  /** Token of the next page (the same token again at the end of the stream). @default - none was returned */
  readonly nextForwardToken?: string;
}

/** The GetLogEvents request of a page: oldest events first (`startFromHead`), from the token when there is one. */
export function getLogEventsInput(r: LogPageRequest): logs.GetLogEventsCommandInput {
  return {
    logGroupName: r.group,
    logStreamName: r.stream,
    startFromHead: true,
    ...(r.token !== undefined ? { nextToken: r.token } : {}),
  };
}

/** The lines and forward token of a GetLogEvents answer. */
export function logPageFromSdk(o: logs.GetLogEventsCommandOutput | logs.GetLogEventsResponse): LogPage {
  const lines: string[] = [];
  for (const e of o.events ?? []) if (e.message !== undefined) lines.push(e.message);
  return { lines, ...(o.nextForwardToken !== undefined ? { nextForwardToken: o.nextForwardToken } : {}) };
}

/** True for the error CloudWatch Logs answers for a group or stream that does not exist (yet). */
export function isResourceNotFound(e: unknown): boolean {
  return errorName(e) === 'ResourceNotFoundException';
}
