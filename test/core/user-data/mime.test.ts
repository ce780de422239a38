import {
  DEFAULT_BOUNDARY,
  buildMultipart,
  decodeUserData,
  isMimeMultipart,
  mergeMultipart,
  parseMultipart,
  partTypeOf,
  toMultipart,
} from '../../../lib/core/user-data/mime';

/** The guide's EFS example, canonical form. */
const EFS_DOC = [
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="==MYBOUNDARY=="',
  '',
  '--==MYBOUNDARY==',
  'Content-Type: text/cloud-config; charset="us-ascii"',
  '',
  'packages:',
  '- amazon-efs-utils',
  '',
  'runcmd:',
  '- mkdir -p /mnt/efs',
  '',
  '--==MYBOUNDARY==--',
  '',
].join('\n');

function parsed(text: string) {
  const r = parseMultipart(text);
  if (!r.ok) throw new Error(`expected a valid document, got: ${r.reason}`);
  return r.document;
}

function reason(text: string): string {
  const r = parseMultipart(text);
  if (r.ok) throw new Error('expected an invalid document');
  return r.reason;
}

describe('parseMultipart', () => {
  test('a valid document: boundary, part type, content with its blank lines', () => {
    const doc = parsed(EFS_DOC);
    expect(doc.boundary).toBe('==MYBOUNDARY==');
    expect(doc.parts).toEqual([
      {
        contentType: 'text/cloud-config',
        content: 'packages:\n- amazon-efs-utils\n\nruncmd:\n- mkdir -p /mnt/efs',
        headers: {},
      },
    ]);
    expect(isMimeMultipart(EFS_DOC)).toBe(true);
  });

  test('several parts keep their order and extra headers; an unquoted boundary is read', () => {
    const text = [
      'Content-Type: multipart/mixed; boundary=XYZ',
      'MIME-Version: 1.0',
      '',
      'preamble text is ignored',
      '--XYZ',
      'Content-Type: text/cloud-boothook',
      'Content-Transfer-Encoding: 7bit',
      '',
      'cloud-init-per once docker_options echo hi',
      '--XYZ',
      'Content-Type: text/x-shellscript',
      '',
      '#!/bin/bash',
      'echo two',
      '--XYZ--',
    ].join('\n');
    const doc = parsed(text);
    expect(doc.parts.map((p) => p.contentType)).toEqual(['text/cloud-boothook', 'text/x-shellscript']);
    expect(doc.parts[0].headers).toEqual({ 'content-transfer-encoding': '7bit' });
    expect(doc.parts[1].content).toBe('#!/bin/bash\necho two');
  });

  test('CRLF line endings are accepted', () => {
    const doc = parsed(EFS_DOC.replace(/\n/g, '\r\n'));
    expect(doc.boundary).toBe('==MYBOUNDARY==');
    expect(doc.parts[0].content).not.toMatch(/\r/);
    expect(doc.parts[0].contentType).toBe('text/cloud-config');
  });

  test.each([
    ['a plain script', '#!/bin/bash\necho hi\n', /no MIME header block/],
    ['headers without Content-Type', 'MIME-Version: 1.0\n\n--B\n\nx\n--B--\n', /no Content-Type header/],
    [
      'not multipart/mixed',
      'MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n',
      /Content-Type is "text\/plain", not multipart\/mixed/,
    ],
    [
      'missing boundary parameter',
      'MIME-Version: 1.0\nContent-Type: multipart/mixed\n\n--B\nContent-Type: ' + 'text/x-shellscript\n\necho\n--B--\n',
      /has no boundary parameter/,
    ],
    [
      'missing closing boundary',
      EFS_DOC.replace('--==MYBOUNDARY==--', ''),
      /no closing boundary line "--==MYBOUNDARY==--"/,
    ],
    ['no part before the close', 'Content-Type: multipart/mixed; boundary="B"\n\n--B--\n', /no part opened by "--B"/],
    [
      'a part without Content-Type',
      'Content-Type: multipart/mixed; boundary="B"\n\n--B\n\necho hi\n--B--\n',
      /part 1 has no Content-Type header/,
    ],
    [
      'the PDF-mangled boundary of the seed guide',
      EFS_DOC.replace('--==MYBOUNDARY==--', '---==MYBOUNDARY---'),
      /no closing boundary/,
    ],
  ])('invalid: %s', (_name, text, expected) => {
    expect(reason(text)).toMatch(expected);
    expect(isMimeMultipart(text)).toBe(false);
  });
});

describe('buildMultipart', () => {
  test('renders what parseMultipart reads back', () => {
    const text = buildMultipart([
      { contentType: 'text/cloud-config', content: 'runcmd:\n- echo one\n' },
      {
        contentType: 'text/x-shellscript',
        content: '#!/bin/bash\necho two',
        headers: { 'Content-Transfer-Encoding': '7bit' },
      },
    ]);
    expect(
      text.startsWith(
        `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="` +
          `${DEFAULT_BOUNDARY}"\n\n--${DEFAULT_BOUNDARY}\n`,
      ),
    ).toBe(true);
    expect(text.endsWith(`--${DEFAULT_BOUNDARY}--\n`)).toBe(true);
    const doc = parsed(text);
    expect(doc.parts.map((p) => [p.contentType, p.content])).toEqual([
      ['text/cloud-config', 'runcmd:\n- echo one'],
      ['text/x-shellscript', '#!/bin/bash\necho two'],
    ]);
    expect(doc.parts[1].headers).toEqual({ 'content-transfer-encoding': '7bit' });
  });

  test('refuses no parts and content containing the boundary', () => {
    expect(() => buildMultipart([])).toThrow(/at least one part/);
    expect(() => buildMultipart([{ contentType: 'text/x-shellscript', content: 'echo --B' }], 'B')).toThrow(
      /contains the boundary "--B".*choose another boundary/,
    );
  });
});

describe('toMultipart and partTypeOf', () => {
  test('a plain script becomes the single part of a new document', () => {
    const out = toMultipart('#!/bin/bash\necho ECS_CLUSTER=x >> /etc/ecs/ecs.config\n');
    const doc = parsed(out);
    expect(doc.parts).toEqual([
      {
        contentType: 'text/x-shellscript',
        content: '#!/bin/bash\necho ECS_CLUSTER=x >> /etc/ecs/ecs.config',
        headers: {},
      },
    ]);
  });

  test('a cloud-config is wrapped with its own type', () => {
    expect(parsed(toMultipart('#cloud-config\npackages:\n- jq\n')).parts[0].contentType).toBe('text/cloud-config');
  });

  test('a valid document is returned unchanged; a malformed one throws with the reason', () => {
    expect(toMultipart(EFS_DOC)).toBe(EFS_DOC);
    expect(() => toMultipart(EFS_DOC.replace('--==MYBOUNDARY==--', ''))).toThrow(/malformed: no closing boundary line/);
  });

  test.each([
    ['#!/bin/bash\necho', 'text/x-shellscript'],
    ['#cloud-config\n{}', 'text/cloud-config'],
    ['#cloud-config-archive\n- type: foo', 'text/cloud-config-archive'],
    ['#cloud-boothook\necho', 'text/cloud-boothook'],
    ['#include\nhttps://example.invalid/a', 'text/x-include-url'],
    ['#include-once\nhttps://example.invalid/a', 'text/x-include-once-url'],
    ['#upstart-job\ndescription "x"', 'text/upstart-job'],
    ['#part-handler\ndef list_types(): pass', 'text/part-handler'],
    ['## template: jinja\n#!/bin/sh', 'text/jinja2'],
    ['  \n#cloud-config\n{}', 'text/cloud-config'],
    ['echo no shebang', 'text/x-shellscript'],
  ])('partTypeOf(%j) is %s', (script, type) => {
    expect(partTypeOf(script)).toBe(type);
  });
});

describe('mergeMultipart', () => {
  test('merges multipart and plain documents, parts in order, under one boundary', () => {
    const merged = mergeMultipart([
      EFS_DOC,
      '#!/bin/bash\necho second\n',
      buildMultipart([{ contentType: 'text/cloud-boothook', content: 'echo third' }], 'OTHER'),
    ]);
    const doc = parsed(merged);
    expect(doc.boundary).toBe(DEFAULT_BOUNDARY);
    expect(doc.parts.map((p) => p.contentType)).toEqual([
      'text/cloud-config',
      'text/x-shellscript',
      'text/cloud-boothook',
    ]);
    expect(doc.parts[1].content).toBe('#!/bin/bash\necho second');
    expect(doc.parts[2].content).toBe('echo third');
  });

  test('keeps a part charset other than us-ascii', () => {
    const utf8 =
      'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: ' +
      'text/x-shellscript; charset="utf-8"\n\necho héllo\n--B--\n';
    expect(mergeMultipart([utf8])).toMatch(/Content-Type: text\/x-shellscript; charset="utf-8"/);
  });

  test('a malformed input stops the merge with its reason', () => {
    expect(() => mergeMultipart([EFS_DOC, 'Content-Type: multipart/mixed\n\n--B--\n'])).toThrow(
      /no boundary parameter/,
    );
  });
});

describe('decodeUserData', () => {
  test('decodes base64 launch template user data', () => {
    expect(decodeUserData(Buffer.from(EFS_DOC, 'utf8').toString('base64'))).toBe(EFS_DOC);
  });
});
