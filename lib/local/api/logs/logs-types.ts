/** Request and response types of the served CloudWatch Logs operations, in the service model's shapes. */

/** DescribeLogGroups request. */
export interface DescribeLogGroupsRequest {
  readonly accountIdentifiers?: string[];
  readonly logGroupNamePrefix?: string;
  readonly logGroupNamePattern?: string;
  readonly nextToken?: string;
  readonly limit?: number;
  readonly includeLinkedAccounts?: boolean;
  readonly logGroupClass?: 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';
  readonly logGroupIdentifiers?: string[];
}

/** A log group. */
export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  metricFilterCount: number;
  /** The group ARN with `:*`. */
  arn: string;
  storedBytes: number;
  logGroupClass: 'STANDARD';
  /** The group ARN without `:*`. */
  logGroupArn: string;
}

/** DescribeLogGroups response. */
export interface DescribeLogGroupsResponse {
  logGroups: LogGroup[];
  nextToken?: string;
}

/** DescribeLogStreams request. */
export interface DescribeLogStreamsRequest {
  readonly logGroupName?: string;
  readonly logGroupIdentifier?: string;
  readonly logStreamNamePrefix?: string;
  readonly orderBy?: 'LogStreamName' | 'LastEventTime';
  readonly descending?: boolean;
  readonly nextToken?: string;
  readonly limit?: number;
}

/** A log stream. */
export interface LogStream {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  arn: string;
  storedBytes: number;
}

/** DescribeLogStreams response. */
export interface DescribeLogStreamsResponse {
  logStreams: LogStream[];
  nextToken?: string;
}

/** GetLogEvents request. */
export interface GetLogEventsRequest {
  readonly logGroupName?: string;
  readonly logGroupIdentifier?: string;
  readonly logStreamName: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly nextToken?: string;
  readonly limit?: number;
  readonly startFromHead?: boolean;
  readonly unmask?: boolean;
}

/** One event of GetLogEvents. */
export interface OutputLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

/** GetLogEvents response. */
export interface GetLogEventsResponse {
  events: OutputLogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

/** FilterLogEvents request. */
export interface FilterLogEventsRequest {
  readonly logGroupName?: string;
  readonly logGroupIdentifier?: string;
  readonly logStreamNames?: string[];
  readonly logStreamNamePrefix?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly filterPattern?: string;
  readonly nextToken?: string;
  readonly limit?: number;
  readonly interleaved?: boolean;
  readonly unmask?: boolean;
}

/** One event of FilterLogEvents. */
export interface FilteredLogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

/** FilterLogEvents response. */
export interface FilterLogEventsResponse {
  events: FilteredLogEvent[];
  nextToken?: string;
}
