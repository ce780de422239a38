/** Target input as EventBridge builds it: Input, InputPath, InputTransformer (JSON and text templates). */
import type { RuleTargetModel } from '../../../lib/core/model/app';
import { readJsonPath, targetInput } from '../../../lib/local/app/target-input';

const event = {
  id: 'e1',
  'detail-type': 'Batch Job State Change',
  resources: ['arn:1'],
  detail: { jobId: 'j1', status: 'FAILED', attempts: 3, note: 'say "hi"' },
};
const rule = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r' };
const t = (extra: Partial<RuleTargetModel>): RuleTargetModel => ({ id: 'T', arn: 'arn:x', kind: 'lambda', ...extra });
const transformer = (inputTemplate: string) =>
  t({
    inputTransformer: {
      inputPathsMap: {
        id: '$.detail.jobId',
        n: '$.detail.attempts',
        note: '$.detail.note',
        first: '$.resources[0]',
        type: "$['detail-type']",
        missing: '$.detail.nope',
      },
      inputTemplate,
    },
  });

test('no input settings: the event itself', () => {
  expect(targetInput(t({}), event, rule)).toBe(event);
});

test('Input: the constant JSON', () => {
  expect(targetInput(t({ input: '{"a":[1,2]}' }), event, rule)).toEqual({ a: [1, 2] });
});

test('InputPath: a part of the event (null when missing)', () => {
  expect(targetInput(t({ inputPath: '$.detail' }), event, rule)).toBe(event.detail);
  expect(targetInput(t({ inputPath: '$.nothing.here' }), event, rule)).toBeNull();
});

test('JSON template: values outside quotes are JSON, inside quotes text; missing values are null', () => {
  expect(
    targetInput(
      transformer(
        '{"id": <id>, "n": <n>, "text": "<id> after <n> tries: <note>", ' +
          '"first": <first>, "type": <type>, "m": <missing>}',
      ),
      event,
      rule,
    ),
  ).toEqual({
    id: 'j1',
    n: 3,
    text: 'j1 after 3 tries: say "hi"',
    first: 'arn:1',
    type: 'Batch Job State Change',
    m: null,
  });
});

test('predefined variables: the rule and the whole event', () => {
  expect(
    targetInput(
      transformer(
        '{"rule": "<aws.events.rule-name>", "arn": "<aws.events.rule-arn>", ' +
          '"event": <aws.events.event>, "json": "<aws.events.event.json>"}',
      ),
      event,
      rule,
      Date.UTC(2026, 0, 1),
    ),
  ).toEqual({
    rule: 'r',
    arn: rule.ruleArn,
    event,
    json: JSON.stringify(event),
  });
});

test('a quoted string template gives a string; a plain text template gives text', () => {
  expect(targetInput(transformer('"job <id> FAILED"'), event, rule)).toBe('job j1 FAILED');
  expect(targetInput(transformer('job <id> is done'), event, rule)).toBe('job j1 is done');
});

test('readJsonPath refuses paths that are not simple', () => {
  expect(readJsonPath(event, '$.resources[0]')).toBe('arn:1');
  expect(() => readJsonPath(event, '$..jobId')).toThrow(/not a simple JSON path/);
  expect(() => readJsonPath(event, 'detail')).toThrow(/must start with \$/);
});
