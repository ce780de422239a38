/**
 * The AWS service models (botocore's `service-2.json`, shipped with the AWS CLI) and a checker of a
 * response body against an operation's output shape: JSON types, enum values, required members
 * and no member the model does not know. Used to hold batchkit's served APIs to AWS's model.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';

/** A shape of a botocore model (the parts the checker reads). */
export interface ModelShape {
  readonly type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly required?: readonly string[];
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
}

/** A loaded service model. */
export interface ServiceModel {
  readonly file: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly operations: Readonly<
    Record<string, { readonly output?: { readonly shape: string }; readonly http?: { readonly requestUri?: string } }>
  >;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** Directories where botocore's data can be: the AWS CLI's Python first, then Debian's package. */
function botocoreDataDirs(): string[] {
  const dirs: string[] = [];
  const py = spawnSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  });
  if (py.status === 0 && py.stdout.trim()) dirs.push(path.join(py.stdout.trim(), 'data'));
  dirs.push('/usr/lib/python3/dist-packages/botocore/data', '/usr/share/awscli/botocore/data');
  return dirs;
}

/** Loads `<service>/<version>/service-2.json[.gz]`; throws with the places searched when absent. */
export function loadServiceModel(service: string, version: string): ServiceModel {
  const tried: string[] = [];
  for (const dir of botocoreDataDirs()) {
    for (const name of ['service-2.json', 'service-2.json.gz']) {
      const file = path.join(dir, service, version, name);
      tried.push(file);
      if (!existsSync(file)) continue;
      const raw = readFileSync(file);
      const text = name.endsWith('.gz') ? gunzipSync(new Uint8Array(raw)).toString('utf8') : raw.toString('utf8');
      return { file, ...(JSON.parse(text) as Omit<ServiceModel, 'file'>) };
    }
  }
  throw new Error(
    `The ${service} service model was not found (the AWS CLI ships it; run ` +
      `scripts/dev-setup.sh). Tried:\n${tried.join('\n')}`,
  );
}

/** Options of {@link checkAgainstModel}. */
export interface CheckOptions {
  /** Enum shapes whose values AWS accepts in any case (compared upper-cased). @default - none */
  readonly anyCaseEnums?: readonly string[];
}

/** Every way `value` departs from shape `shapeName` of `model`, as `path: problem` lines. */
export function checkAgainstModel(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  where = '',
  options: CheckOptions = {},
): string[] {
  const out: string[] = [];
  walk(model, shapeName, value, where || shapeName, options, out);
  return out;
}

/** The output shape's problems for an operation's response body. */
export function checkResponse(
  model: ServiceModel,
  operation: string,
  body: unknown,
  options: CheckOptions = {},
): string[] {
  const op = model.operations[operation];
  if (!op) return [`${operation}: not an operation of the model`];
  if (!op.output)
    return body === undefined || (isObject(body) && Object.keys(body).length === 0)
      ? []
      : [`${operation}: the model has no output, got ${JSON.stringify(body)}`];
  return checkAgainstModel(model, op.output.shape, body, operation, options);
}

function walk(
  model: ServiceModel,
  name: string,
  value: unknown,
  at: string,
  options: CheckOptions,
  out: string[],
): void {
  const shape = model.shapes[name];
  if (!shape) {
    out.push(`${at}: unknown shape ${name}`);
    return;
  }
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return void out.push(`${at}: ${name} must be an object, got ${JSON.stringify(value)}`);
      const members = shape.members ?? {};
      for (const [k, v] of Object.entries(value)) {
        const m = members[k];
        if (!m) out.push(`${at}.${k}: not a member of ${name}`);
        else walk(model, m.shape, v, `${at}.${k}`, options, out);
      }
      for (const r of shape.required ?? [])
        if (value[r] === undefined) out.push(`${at}.${r}: required by ${name}, missing`);
      return;
    }
    case 'list':
      if (!Array.isArray(value)) return void out.push(`${at}: ${name} must be an array`);
      value.forEach((v, i) => walk(model, shape.member?.shape ?? '', v, `${at}[${i}]`, options, out));
      return;
    case 'map':
      if (!isObject(value)) return void out.push(`${at}: ${name} must be an object`);
      for (const [k, v] of Object.entries(value)) {
        walk(model, shape.key?.shape ?? '', k, `${at} key ${k}`, options, out);
        walk(model, shape.value?.shape ?? '', v, `${at}.${k}`, options, out);
      }
      return;
    case 'string':
    case 'blob':
      if (typeof value !== 'string')
        return void out.push(`${at}: ${name} must be a string, got ${JSON.stringify(value)}`);
      if (shape.enum) {
        const v = options.anyCaseEnums?.includes(name) ? value.toUpperCase() : value;
        if (!shape.enum.includes(v))
          out.push(`${at}: ${JSON.stringify(value)} is not one of ${name} ${shape.enum.join('|')}`);
      }
      return;
    case 'integer':
    case 'long':
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isInteger(value))
        out.push(`${at}: ${name} must be an integer, got ${JSON.stringify(value)}`);
      return;
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value))
        out.push(`${at}: ${name} must be a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(`${at}: ${name} must be true or false, got ${JSON.stringify(value)}`);
      return;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
