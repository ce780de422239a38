/**
 * Request shapes of the CloudWatch Logs operations batchkit serves (awsJson1.1, target prefix
 * `Logs_20140328`), every member of the service model's request structures, so newer clients'
 * members are accepted. Checked by the same validator as the Batch API's shapes.
 */
import { BOOL, enumOf, int, list, long, str, STRING, struct, req, type Shape } from '../shape';

const NAME = str({ name: 'LogGroupName', min: 1, max: 512 });
const IDENTIFIER = str({ name: 'LogGroupIdentifier', min: 1, max: 2048 });
const STREAM = str({ name: 'LogStreamName', min: 1, max: 512 });
const TOKEN = str({ name: 'NextToken', min: 1 });
const TIMESTAMP = long('Timestamp', 0);
const DESCRIBE_LIMIT = int('DescribeLimit', 1, 50);
const EVENTS_LIMIT = int('EventsLimit', 1, 10000);

/** The request shape of every served CloudWatch Logs operation. */
export const LOGS_OPERATION_SHAPES: Readonly<Record<string, Shape>> = {
  DescribeLogGroups: struct('DescribeLogGroupsRequest', {
    accountIdentifiers: list('AccountIds', STRING, 0, 20),
    logGroupNamePrefix: NAME,
    logGroupNamePattern: str({ name: 'LogGroupNamePattern', max: 512 }),
    nextToken: TOKEN,
    limit: DESCRIBE_LIMIT,
    includeLinkedAccounts: BOOL,
    logGroupClass: enumOf('LogGroupClass', ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']),
    logGroupIdentifiers: list('DescribeLogGroupsLogGroupIdentifiers', IDENTIFIER, 1, 50),
  }),
  DescribeLogStreams: struct('DescribeLogStreamsRequest', {
    logGroupName: NAME,
    logGroupIdentifier: IDENTIFIER,
    logStreamNamePrefix: STREAM,
    orderBy: enumOf('OrderBy', ['LogStreamName', 'LastEventTime']),
    descending: BOOL,
    nextToken: TOKEN,
    limit: DESCRIBE_LIMIT,
  }),
  GetLogEvents: struct('GetLogEventsRequest', {
    logGroupName: NAME,
    logGroupIdentifier: IDENTIFIER,
    logStreamName: req(STREAM),
    startTime: TIMESTAMP,
    endTime: TIMESTAMP,
    nextToken: TOKEN,
    limit: EVENTS_LIMIT,
    startFromHead: BOOL,
    unmask: BOOL,
  }),
  FilterLogEvents: struct('FilterLogEventsRequest', {
    logGroupName: NAME,
    logGroupIdentifier: IDENTIFIER,
    logStreamNames: list('InputLogStreamNames', STREAM, 1, 100),
    logStreamNamePrefix: STREAM,
    startTime: TIMESTAMP,
    endTime: TIMESTAMP,
    filterPattern: str({ name: 'FilterPattern', max: 1024 }),
    nextToken: TOKEN,
    limit: EVENTS_LIMIT,
    interleaved: BOOL,
    unmask: BOOL,
  }),
};
