/**
 * The EventBridge pattern language, case by case, with our own events written after the examples of
 * the EventBridge user guide's content-filtering page.
 */
import { matchesPattern, patternProblems, type EventPattern } from '../../../lib/local/events/pattern';

const event = {
  version: '0',
  id: 'e1',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-10-02T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:111122223333:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'pending',
    'c-count': 5,
    'd-count': 100,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    'source-ip6': '2001:db8::ff00:42:8329',
    FileName: 'photo.PNG',
    FilePath: '/usr/lib/x.so',
    location: null,
    service: 'EventBridge',
    tags: ['blue', 'prod'],
    items: [
      { name: 'a', qty: 1 },
      { name: 'b', qty: 7 },
    ],
  },
};

describe('matchesPattern', () => {
  test.each<[string, EventPattern, boolean]>([
    ['exact string', { source: ['aws.ec2'] }, true],
    ['exact string mismatch', { source: ['aws.s3'] }, false],
    ['any of a list', { source: ['aws.s3', 'aws.ec2'] }, true],
    ['exact number', { detail: { 'c-count': [5] } }, true],
    ['exact null', { detail: { location: [null] } }, true],
    ['null does not match a string', { detail: { state: [null] } }, false],
    ['fields are ANDed', { source: ['aws.ec2'], detail: { state: ['running'] } }, false],
    ['prefix', { time: [{ prefix: '2017-10-02' }] }, true],
    ['prefix mismatch', { time: [{ prefix: '2018' }] }, false],
    ['prefix ignoring case', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EVENTB' } }] } }, true],
    ['suffix', { detail: { FileName: [{ suffix: '.PNG' }] } }, true],
    ['suffix is case sensitive', { detail: { FileName: [{ suffix: '.png' }] } }, false],
    ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
    ['equals-ignore-case', { detail: { service: [{ 'equals-ignore-case': 'eventbridge' }] } }, true],
    ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but string (same)', { detail: { state: [{ 'anything-but': 'pending' }] } }, false],
    ['anything-but number', { detail: { 'c-count': [{ 'anything-but': 123 }] } }, true],
    ['anything-but number (same)', { detail: { 'c-count': [{ 'anything-but': 5 }] } }, false],
    ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'pending'] }] } }, false],
    ['anything-but list (not in it)', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
    ['anything-but prefix', { region: [{ 'anything-but': { prefix: 'us-' } }] }, false],
    ['anything-but prefix (other)', { region: [{ 'anything-but': { prefix: 'eu-' } }] }, true],
    ['anything-but suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.PNG' } }] } }, false],
    [
      'anything-but ignore case',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['PENDING', 'X'] } }] } },
      false,
    ],
    ['anything-but wildcard', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, false],
    ['anything-but wildcard (other)', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/bin/*' } }] } }, true],
    ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['numeric range (outside)', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, false],
    ['numeric equality', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, true],
    ['numeric on a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
    ['exists true', { detail: { state: [{ exists: true }] } }, true],
    ['exists true on a missing field', { detail: { missing: [{ exists: true }] } }, false],
    ['exists false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    [
      'exists false on a missing object',
      { detail: { container: { containerInstanceArn: [{ exists: false }] } } },
      true,
    ],
    ['wildcard', { detail: { FilePath: [{ wildcard: '/usr/*/*.so' }] } }, true],
    ['wildcard mismatch', { detail: { FilePath: [{ wildcard: '/opt/*' }] } }, false],
    ['wildcard escaped asterisk', { detail: { FileName: [{ wildcard: 'photo\\*' }] } }, false],
    ['cidr IPv4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr IPv4 outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['cidr IPv6', { detail: { 'source-ip6': [{ cidr: '2001:db8::/32' }] } }, true],
    ['cidr IPv6 outside', { detail: { 'source-ip6': [{ cidr: '2001:db9::/32' }] } }, false],
    ['array in the event: any element', { detail: { tags: ['prod'] } }, true],
    ['array in the event: none', { detail: { tags: ['dev'] } }, false],
    ['array in the pattern vs array in the event', { resources: [{ prefix: 'arn:aws:ec2:' }] }, true],
    [
      'objects in an event array: one element satisfies all',
      { detail: { items: { name: ['b'], qty: [{ numeric: ['>', 5] }] } } },
      true,
    ],
    [
      'objects in an event array: no single element does',
      { detail: { items: { name: ['a'], qty: [{ numeric: ['>', 5] }] } } },
      false,
    ],
    [
      '$or at the top level',
      { source: ['aws.ec2'], $or: [{ region: ['eu-west-1'] }, { detail: { state: ['pending'] } }] },
      true,
    ],
    ['$or none', { $or: [{ region: ['eu-west-1'] }, { detail: { state: ['running'] } }] }, false],
    [
      '$or nested',
      { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['>', 10] }] }] } },
      true,
    ],
    ['detail-type', { 'detail-type': ['EC2 Instance State-change Notification'] }, true],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

describe('patternProblems', () => {
  test('a valid pattern has none', () => {
    expect(
      patternProblems({
        source: ['aws.batch'],
        detail: { status: [{ 'anything-but': ['FAILED'] }], $or: [{ a: [1] }, { b: [{ exists: true }] }] },
      }),
    ).toEqual([]);
  });
  test('each bad part is named by its path', () => {
    expect(
      patternProblems({
        source: 'aws.batch',
        detail: { n: [{ numeric: ['>>', 1] }], x: [{ bogus: 1 }], ip: [{ cidr: 'nope' }], $or: [{ a: [1] }] },
      }),
    ).toEqual([
      "$.source: a field's value must be a list of values or a nested pattern",
      '$.detail.n[0]: numeric takes pairs of an operator (=, <, <=, >, >=) and a number',
      '$.detail.x[0]: unknown operator ["bogus"]; allowed: prefix, suffix, ' +
        'equals-ignore-case, numeric, wildcard, cidr, anything-but, exists',
      '$.detail.ip[0]: cidr takes an IPv4 or IPv6 block such as 10.0.0.0/24',
      '$.detail.$or: $or takes a list of at least 2 patterns',
    ]);
  });
});
