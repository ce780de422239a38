/**
 * Reading JSON and YAML files (manifests, asset manifests, templates) with errors that name the
 * file and the line/column of the problem. YAML templates may use CloudFormation's short forms
 * (`!Ref`, `!Sub`, `!GetAtt`, ...), which are turned into their long JSON forms.
 */
import * as path from 'path';
import type { ScalarTag, CollectionTag, YAMLMap, YAMLSeq } from 'yaml';
import { ASSEMBLY_ERRORS, assemblyError } from './errors';
import { readTextFile } from './files';
import type { Json, JsonObject } from './json';
import { LOADER_LIMITS, limitError, tooDeep } from './limits';

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** The reason of a JSON.parse error without the snippet of the file recent Node versions quote. */
function jsonReason(msg: string): string {
  if (/unexpected end|unterminated/i.test(msg)) return 'the text ends too early';
  if (/bad control character/i.test(msg)) return 'a control character inside a string';
  if (/bad escape/i.test(msg)) return 'a bad escape sequence';
  if (/after (array element|property value)|expected ',' or/i.test(msg)) return 'a missing comma or bracket';
  if (/property name|double-quoted/i.test(msg)) return 'a property name that is not a double-quoted string';
  if (/non-whitespace character after JSON/i.test(msg)) return 'more text after the end of the JSON value';
  return 'an unexpected character';
}

/**
 * Where and why JSON text failed to parse, from a `JSON.parse` error message, without the snippet of
 * the text recent Node versions quote: `at line 3, column 7: a missing comma or bracket`.
 */
export function describeJsonError(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  const end = text.trimEnd().length;
  if (/unexpected end/i.test(message) || (m && Number(m[1]) >= end)) {
    return `at end of file (line ${lineColumn(text, end).line}): the file is truncated or incomplete`;
  }
  if (m) {
    const pos = lineColumn(text, Number(m[1]));
    return `at line ${pos.line}, column ${pos.column}: ${jsonReason(message)}`;
  }
  return 'at a character JSON does not allow there (it may not be a JSON file)';
}

/** Parses JSON text, throwing BATCHKIT-ASSEMBLY-003 with the file, line/column and reason (never the content). */
export function parseJsonText(text: string, file: string, what: string): Json {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    if (e instanceof RangeError) throw nestedTooDeep(file, what, undefined);
    const where = describeJsonError(text, (e as Error).message);
    throw assemblyError(
      ASSEMBLY_ERRORS.badFile,
      `${what} ${file} is not valid JSON ${where}.`,
      'Repair or regenerate the file (run `cdk synth` again for a cloud assembly).',
    );
  }
  checkDepth(value, file, what);
  return value;
}

function nestedTooDeep(file: string, what: string, where: string | undefined): Error {
  return limitError(
    `${what} ${file} nests objects and lists more than ${LOADER_LIMITS.maxDocumentDepth} levels deep` +
      `${where ? ` (at ${where})` : ''}; the loader's limit is ${LOADER_LIMITS.maxDocumentDepth}.`,
    'Flatten the value: CloudFormation templates and cloud assembly files ' +
      'never need that much nesting (a long Fn::Join takes a list, not nested calls).',
  );
}

/**
 * The line where flow collections (`[`, `{`) of a YAML text first nest deeper than `max`, quotes and comments
 * skipped.
 */
function deepFlowLine(text: string, max: number): number | undefined {
  let depth = 0;
  let line = 1;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      if (quote === undefined) continue;
    }
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
    } else if (ch === '[' || ch === '{') {
      if (++depth > max) return line;
    } else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function yamlTooDeep(text: string, file: string): Error {
  const line = deepFlowLine(text, LOADER_LIMITS.maxDocumentDepth);
  return nestedTooDeep(file, 'template', line === undefined ? undefined : `line ${line}`);
}

function checkDepth(value: Json, file: string, what: string): void {
  const deep = tooDeep(value, LOADER_LIMITS.maxDocumentDepth);
  if (deep !== undefined) throw nestedTooDeep(file, what, deep === '' ? undefined : deep);
}

/** Reads a JSON file (manifest, asset manifest): regular files only, size-limited. */
export function readJsonFile(file: string, what: string): Json {
  return parseJsonText(readTextFile(file, what), file, what);
}

/** Functions whose YAML short form `!Name` stands for `Fn::Name`. */
const FN_SHORT_FORMS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Length',
  'ToJsonString',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'RefAll',
  'ValueOf',
  'ValueOfAll',
] as const;

function shortFormTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  const add = (tag: string, wrap: (value: unknown) => unknown): void => {
    tags.push({ tag, resolve: (str: string) => wrap(str) } as ScalarTag);
    tags.push({ tag, collection: 'seq', resolve: (seq: YAMLSeq) => wrap(seq.toJSON()) } as unknown as CollectionTag);
    tags.push({ tag, collection: 'map', resolve: (map: YAMLMap) => wrap(map.toJSON()) } as unknown as CollectionTag);
  };
  add('!Ref', (v) => ({ Ref: v }));
  add('!Condition', (v) => ({ Condition: v }));
  add('!GetAtt', (v) => {
    if (typeof v !== 'string') return { 'Fn::GetAtt': v };
    const dot = v.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [v] : [v.slice(0, dot), v.slice(dot + 1)] };
  });
  for (const fn of FN_SHORT_FORMS) add(`!${fn}`, (v) => ({ [`Fn::${fn}`]: v }));
  return tags;
}

/** A YAML error message's first line, without the quoted source the `yaml` package adds. */
function yamlReason(message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return first.replace(/"[^"]*"/g, '(a value)').replace(/'[^']*'/g, '(a value)');
}

function yamlError(file: string, pos: string, reason: string): Error {
  return assemblyError(
    ASSEMBLY_ERRORS.badFile,
    `template ${file} is not valid YAML at ${pos}: ${reason}.`,
    'Repair the YAML (indentation, brackets, quoting, anchors and aliases) and run again.',
  );
}

/**
 * Parses a YAML template: short forms, at most {@link LOADER_LIMITS.maxYamlAliases} alias expansions, bounded
 * depth.
 */
function parseYamlTemplate(text: string, file: string): Json {
  // Loaded here, not at start-up: most apps are JSON cloud assemblies (saves ~35 ms per command).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseDocument, isAlias, visit } = require('yaml') as typeof import('yaml');
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { customTags: shortFormTags(), prettyErrors: true, uniqueKeys: false });
  } catch (e) {
    if (e instanceof RangeError) throw yamlTooDeep(text, file);
    throw yamlError(file, 'an unknown position', yamlReason((e as Error).message));
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    if (/maximum call stack/i.test(err.message)) throw yamlTooDeep(text, file);
    const pos = err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : 'an unknown position';
    throw yamlError(file, pos, yamlReason(err.message));
  }
  try {
    const value = doc.toJS({ maxAliasCount: LOADER_LIMITS.maxYamlAliases }) as Json;
    checkDepth(value, file, 'template');
    return value;
  } catch (e) {
    if (e instanceof RangeError) throw yamlTooDeep(text, file);
    if (!(e instanceof ReferenceError)) throw e;
    // The first alias tells the user where to look.
    let line: string = 'an unknown position';
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && node.range) {
          const p = lineColumn(text, node.range[0]);
          line = `line ${p.line}, column ${p.column}`;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const excessive = /excessive alias count/i.test(e.message);
    throw yamlError(
      file,
      line,
      excessive
        ? `its aliases (*name) expand to more than ` +
            `${LOADER_LIMITS.maxYamlAliases} copies of anchored nodes (a "billion ` +
            `laughs" document); the loader's limit is ${LOADER_LIMITS.maxYamlAliases}`
        : 'an alias (*name) refers to an anchor that is not defined before it',
    );
  }
}

/** True when the file should be read as YAML (by extension, or when it does not start like JSON). */
function looksLikeYaml(file: string, text: string): boolean {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return true;
  if (ext === '.json') return false;
  return !/^\s*[{[]/.test(text);
}

/**
 * Reads a CloudFormation template, JSON or YAML; throws BATCHKIT-ASSEMBLY-003 when it is neither or has no
 * `Resources`.
 */
export function readTemplateFile(file: string): JsonObject {
  const text = readTextFile(file, 'template');
  const value = looksLikeYaml(file, text) ? parseYamlTemplate(text, file) : parseJsonText(text, file, 'template');
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    typeof value.Resources !== 'object' ||
    value.Resources === null
  ) {
    throw assemblyError(
      ASSEMBLY_ERRORS.badFile,
      `${file} is not a CloudFormation template: it has no "Resources" section.`,
      'Pass a cloud assembly directory (cdk.out) or a CloudFormation template with a Resources section.',
    );
  }
  return value;
}
