/**
 * Reading JSON and YAML files (manifests, asset manifests, templates) with errors that name the
 * file and the line/column of the problem. YAML templates may use CloudFormation's short forms
 * (`!Ref`, `!Sub`, `!GetAtt`, ...), which are turned into their long JSON forms.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import type { ScalarTag, CollectionTag, YAMLMap, YAMLSeq } from 'yaml';
import { ASSEMBLY_ERRORS, assemblyError } from './errors';
import type { Json, JsonObject } from './json';

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw assemblyError(
      ASSEMBLY_ERRORS.pathMissing,
      `Cannot read ${what} ${file}: ${(e as Error).message}.`,
      'Check the path; run `cdk synth` again if the cloud assembly is incomplete.',
      e,
    );
  }
}

/** Parses JSON text, throwing BATCHKIT-ASSEMBLY-003 with the file and line/column. */
export function parseJsonText(text: string, file: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const atEnd = !m || Number(m[1]) >= text.trimEnd().length;
    const pos = lineColumn(text, atEnd ? text.trimEnd().length : Number(m[1]));
    const where = atEnd ? `end of file (line ${pos.line}): the file is truncated or incomplete` : `line ${pos.line}, column ${pos.column}`;
    throw assemblyError(
      ASSEMBLY_ERRORS.badFile,
      `${what} ${file} is not valid JSON at ${where}: ${msg}.`,
      'Repair or regenerate the file (run `cdk synth` again for a cloud assembly).',
      e,
    );
  }
}

/** Reads a JSON file (manifest, asset manifest). */
export function readJsonFile(file: string, what: string): Json {
  return parseJsonText(readText(file, what), file, what);
}

/** Functions whose YAML short form `!Name` stands for `Fn::Name`. */
const FN_SHORT_FORMS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString', 'Contains', 'EachMemberEquals',
  'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll',
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

/** True when the file should be read as YAML (by extension, or when it does not start like JSON). */
function looksLikeYaml(file: string, text: string): boolean {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return true;
  if (ext === '.json') return false;
  return !/^\s*[{[]/.test(text);
}

/** Reads a CloudFormation template, JSON or YAML; throws BATCHKIT-ASSEMBLY-003 when it is neither or has no `Resources`. */
export function readTemplateFile(file: string): JsonObject {
  const text = readText(file, 'template');
  let value: Json;
  if (looksLikeYaml(file, text)) {
    // Loaded here, not at start-up: most apps are JSON cloud assemblies (saves ~35 ms per command).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseDocument } = require('yaml') as typeof import('yaml');
    const doc = parseDocument(text, { customTags: shortFormTags(), prettyErrors: true, uniqueKeys: false });
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = err.linePos ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : 'an unknown position';
      throw assemblyError(
        ASSEMBLY_ERRORS.badFile,
        `template ${file} is not valid YAML at ${pos}: ${err.message.split('\n')[0]}`,
        'Repair the YAML (indentation, brackets, quoting) and run again.',
        err,
      );
    }
    value = doc.toJS({ maxAliasCount: 1000 }) as Json;
  } else {
    value = parseJsonText(text, file, 'template');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.Resources !== 'object' || value.Resources === null) {
    throw assemblyError(
      ASSEMBLY_ERRORS.badFile,
      `${file} is not a CloudFormation template: it has no "Resources" section.`,
      'Pass a cloud assembly directory (cdk.out) or a CloudFormation template with a Resources section.',
    );
  }
  return value;
}
