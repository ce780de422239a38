import { FilterPatternError, matchesFilterPattern, parseFilterPattern } from '../../../../lib/local/api/logs';

const lines = [
  'INFO starting job',
  'ERROR disk full on /scratch',
  'WARN slow read',
  'ERROR retry exhausted',
  'done in 3 s',
  'error lower case',
];

test.each([
  ['', lines],
  ['ERROR', ['ERROR disk full on /scratch', 'ERROR retry exhausted']],
  ['ERROR disk', ['ERROR disk full on /scratch']],
  ['"disk full"', ['ERROR disk full on /scratch']],
  ['"full disk"', []],
  ['?WARN ?done', ['WARN slow read', 'done in 3 s']],
  ['ERROR -disk', ['ERROR retry exhausted']],
  ['-ERROR', ['INFO starting job', 'WARN slow read', 'done in 3 s', 'error lower case']],
  ['?ERROR disk ?WARN slow', ['ERROR disk full on /scratch', 'WARN slow read']],
  ['?"disk full" ?"3 s"', ['ERROR disk full on /scratch', 'done in 3 s']],
])('pattern %j keeps the matching lines (case-sensitive terms)', (pattern, expected) => {
  const p = parseFilterPattern(pattern);
  expect(lines.filter((l) => matchesFilterPattern(p, l))).toEqual(expected);
});

test.each([
  ['{ $.level = "ERROR" }', /is a JSON pattern; the local CloudWatch Logs API evaluates term patterns only/],
  ['[ip, user, status = 500]', /is a space-delimited pattern/],
  ['%ERR.R%', /is a regular expression pattern/],
  ['"unclosed', /has an unclosed quote at character 1\. Fix: close the quoted phrase/],
])('pattern %j is refused with the reason', (pattern, message) => {
  expect(() => parseFilterPattern(pattern)).toThrow(FilterPatternError);
  expect(() => parseFilterPattern(pattern)).toThrow(message);
});
