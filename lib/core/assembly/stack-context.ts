/**
 * One stack's resolution context: its template, parameter values, environment and conditions,
 * and the rules for `Ref`, `Fn::GetAtt` and conditions. Intrinsic functions themselves live in
 * `intrinsics.ts`.
 */
import { createHash } from 'crypto';
import type { DeploymentEnvironment, LoaderNote } from '../model/batch-model';
import type { SourceLocation } from '../model/common';
import { unresolvedString } from '../model/unresolved';
import { ASSEMBLY_ERRORS, assemblyError, describeLocation, listNames, type TemplateLocation } from './errors';
import { evaluateIntrinsic, evaluateCondition, INTRINSIC_NAMES } from './intrinsics';
import { isJsonObject, NO_VALUE, stringProp, type Json, type JsonObject, type Resolved } from './json';
import { LOADER_LIMITS, limitError } from './limits';
import type { NoteSink } from './notes';
import { getAttValue, refValue, type NamingScope } from './physical-ids';

/** Where a value is being resolved: resource (or section entry) and property path. */
export interface Where {
  /** Logical id of the resource; absent for `Conditions` and `Outputs` entries. */
  readonly logicalId?: string;
  /** Property path. */
  readonly field: string;
}

/** What a stack context is built from. */
export interface StackSpec {
  /** Stack id used in source locations (artifact id; `<parent>/<logicalId>` for nested stacks). */
  readonly sourceStack: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** Absolute path of the template file. */
  readonly file: string;
  /** The parsed template. */
  readonly template: JsonObject;
  /** Account/region/partition. */
  readonly env: DeploymentEnvironment;
  /** Parameter values supplied (options or the parent stack). */
  readonly parameterValues: Readonly<Record<string, Json>>;
  /** Opens the nested stack declared by an `AWS::CloudFormation::Stack` resource, when its template is found. */
  readonly openNested?: (parent: StackContext, logicalId: string) => StackContext | undefined;
  /**
   * The stacks above this one and this one, root first: `<stack id> (<real path of the template>)`
   * entries, for cycle detection and messages.
   * @default - this stack alone
   */
  readonly chain?: ReadonlyArray<{ readonly stack: string; readonly file: string }>;
}

/** Resolution context of one stack. */
export class StackContext implements NamingScope {
  public readonly stackName: string;
  public readonly env: DeploymentEnvironment;
  public readonly file: string;
  public readonly sourceStack: string;
  public readonly resources: Readonly<Record<string, JsonObject>>;
  /** The stacks above this one and this one, root first (see {@link StackSpec.chain}). */
  public readonly chain: ReadonlyArray<{ readonly stack: string; readonly file: string }>;
  private readonly template: JsonObject;
  private readonly parameterDefs: JsonObject;
  private readonly parameterValues: Readonly<Record<string, Json>>;
  private readonly conditionDefs: JsonObject;
  private readonly conditionCache = new Map<string, boolean | undefined>();
  private readonly conditionStack: string[] = [];
  private readonly resolving: string[] = [];
  private readonly nestedCache = new Map<string, StackContext | undefined>();
  private intrinsicDepth = 0;
  private readonly refCache = new Map<string, Json>();

  constructor(
    private readonly spec: StackSpec,
    private readonly sink: NoteSink,
  ) {
    this.stackName = spec.stackName;
    this.env = spec.env;
    this.file = spec.file;
    this.sourceStack = spec.sourceStack;
    this.template = spec.template;
    this.chain = spec.chain ?? [{ stack: spec.sourceStack, file: spec.file }];
    const resources: Record<string, JsonObject> = {};
    for (const [id, r] of Object.entries(isJsonObject(spec.template.Resources) ? spec.template.Resources : {})) {
      if (isJsonObject(r)) resources[id] = r;
    }
    this.resources = resources;
    this.parameterDefs = isJsonObject(spec.template.Parameters) ? spec.template.Parameters : {};
    this.conditionDefs = isJsonObject(spec.template.Conditions) ? spec.template.Conditions : {};
    this.parameterValues = spec.parameterValues;
  }

  /** True when the template declares parameter `name`. */
  public declaresParameter(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.parameterDefs, name);
  }

  /** The template's parameter names. */
  public parameterNames(): string[] {
    return Object.keys(this.parameterDefs);
  }

  /** The template's `Mappings`. */
  public get mappings(): JsonObject {
    return isJsonObject(this.template.Mappings) ? this.template.Mappings : {};
  }

  /** Source location of a resource. */
  public source(logicalId?: string): SourceLocation {
    const r = logicalId ? this.resources[logicalId] : undefined;
    const metadata = r && isJsonObject(r.Metadata) ? r.Metadata : undefined;
    const constructPath = stringProp(metadata, 'aws:cdk:path');
    return {
      stack: this.sourceStack,
      ...(logicalId ? { logicalId } : {}),
      ...(constructPath ? { constructPath } : {}),
      file: this.file,
    };
  }

  /** Location for error messages. */
  public location(where: Where): TemplateLocation {
    return { file: this.file, logicalId: where.logicalId, field: where.field };
  }

  /** Adds a loader note about a resource. */
  public note(logicalId: string | undefined, message: string, field?: string, kind?: LoaderNote['kind']): void {
    this.sink.add(this.source(logicalId), message, field, kind);
  }

  /** Resolves every intrinsic function in a value. */
  public resolve(value: Json | undefined, where: Where): Resolved {
    if (value === undefined) return NO_VALUE;
    if (Array.isArray(value)) {
      const out: Json[] = [];
      value.forEach((item, i) => {
        const r = this.resolve(item, { ...where, field: `${where.field}[${i}]` });
        if (r !== NO_VALUE) out.push(r);
      });
      return out;
    }
    if (isJsonObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && INTRINSIC_NAMES.has(keys[0])) {
        if (this.intrinsicDepth >= LOADER_LIMITS.maxIntrinsicDepth) throw this.intrinsicsTooDeep(where);
        this.intrinsicDepth++;
        try {
          return evaluateIntrinsic(this, keys[0], value[keys[0]], where);
        } finally {
          this.intrinsicDepth--;
        }
      }
      const out: JsonObject = {};
      for (const k of keys) {
        const r = this.resolve(value[k], { ...where, field: where.field ? `${where.field}.${k}` : k });
        if (r !== NO_VALUE) out[k] = r;
      }
      return out;
    }
    return value;
  }

  /** The resolved `Properties` of a resource. */
  public properties(logicalId: string): JsonObject {
    const r = this.resources[logicalId];
    return this.guard(logicalId, { logicalId, field: 'Properties' }, () => {
      const resolved = this.resolve(r?.Properties ?? {}, { logicalId, field: 'Properties' });
      return isJsonObject(resolved) ? resolved : {};
    });
  }

  /** The resolved value of one property, or undefined when not set. */
  public prop(logicalId: string, key: string): Json | undefined {
    const props = this.resources[logicalId]?.Properties;
    if (!isJsonObject(props) || props[key] === undefined) return undefined;
    const r = this.resolve(props[key], { logicalId, field: `Properties.${key}` });
    return r === NO_VALUE ? undefined : r;
  }

  /** `{ "Ref": name }`. */
  public ref(name: string, where: Where): Resolved {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    if (Object.prototype.hasOwnProperty.call(this.parameterDefs, name)) return this.parameter(name, where);
    const r = this.resources[name];
    if (r) {
      const type = stringProp(r, 'Type') ?? 'Unknown';
      return this.memo(`Ref ${name}`, () => this.guard(name, where, () => refValue(this, type, name)));
    }
    throw this.unknownName('Ref', name, where);
  }

  /** `{ "Fn::GetAtt": [logicalId, attribute] }`. */
  public getAtt(logicalId: string, attribute: string, where: Where): Json {
    const r = this.resources[logicalId];
    if (!r) throw this.unknownName('Fn::GetAtt', logicalId, where, false);
    const type = stringProp(r, 'Type') ?? 'Unknown';
    return this.memo(`GetAtt ${logicalId}.${attribute}`, () =>
      this.guard(logicalId, where, () => {
        if (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
          return this.nestedOutput(logicalId, attribute.slice('Outputs.'.length));
        }
        return getAttValue(this, type, logicalId, attribute);
      }),
    );
  }

  /** Resolves a `Ref`/`Fn::GetAtt` of a resource once: names built from names of names stay linear. */
  private memo<T extends Json>(key: string, fn: () => T): T {
    const hit = this.refCache.get(key);
    if (hit !== undefined) return hit as T;
    const v = fn();
    this.refCache.set(key, v);
    return v;
  }

  /** A named condition: true, false, or undefined when it depends on unknown values. */
  public condition(name: string, where: Where): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    if (!Object.prototype.hasOwnProperty.call(this.conditionDefs, name)) {
      throw assemblyError(
        ASSEMBLY_ERRORS.unknownReference,
        `${describeLocation(this.location(where))}: condition "${name}" is not ` +
          `declared in the template's Conditions section.`,
        `Declare it under Conditions or use one of: ${listNames(Object.keys(this.conditionDefs))}.`,
      );
    }
    if (this.conditionStack.includes(name)) {
      const cycle = [...this.conditionStack.slice(this.conditionStack.indexOf(name)), name].join(' → ');
      throw assemblyError(
        ASSEMBLY_ERRORS.cycle,
        `${this.file}: conditions refer to each other in a cycle: ${cycle}.`,
        'Break the cycle.',
      );
    }
    this.conditionStack.push(name);
    try {
      const value = evaluateCondition(this, this.conditionDefs[name], { field: `Conditions.${name}` });
      this.conditionCache.set(name, value);
      return value;
    } finally {
      this.conditionStack.pop();
    }
  }

  /** Whether a resource exists: its `Condition` is true (or unknown, with a note). */
  public included(logicalId: string): boolean {
    const cond = stringProp(this.resources[logicalId], 'Condition');
    if (cond === undefined) return true;
    const value = this.condition(cond, { logicalId, field: 'Condition' });
    if (value === undefined) {
      this.note(
        logicalId,
        `condition ${cond} depends on values known only at deployment; the ` + `resource is loaded as if it were true`,
        'Condition',
      );
      return true;
    }
    return value;
  }

  /** An output of this stack, resolved. */
  public output(name: string, where: Where): Json {
    const outputs = isJsonObject(this.template.Outputs) ? this.template.Outputs : {};
    const out = outputs[name];
    if (!isJsonObject(out)) {
      throw assemblyError(
        ASSEMBLY_ERRORS.unknownReference,
        `${describeLocation(this.location(where))}: nested stack ${this.sourceStack} has no output "${name}".`,
        `Use one of its outputs: ${listNames(Object.keys(outputs))}.`,
      );
    }
    const r = this.resolve(out.Value, { field: `Outputs.${name}.Value` });
    return r === NO_VALUE ? '' : r;
  }

  /** The context of a nested stack resource (cached), or undefined when its template is not available. */
  public nested(logicalId: string): StackContext | undefined {
    if (!this.nestedCache.has(logicalId)) {
      this.nestedCache.set(logicalId, this.spec.openNested?.(this, logicalId));
    }
    return this.nestedCache.get(logicalId);
  }

  private nestedOutput(logicalId: string, output: string): Json {
    const nested = this.nested(logicalId);
    if (!nested) {
      this.note(logicalId, `output ${output} of nested stack ${logicalId} is unknown: its template was not loaded`);
      return unresolvedString(`Fn::GetAtt ${logicalId}.Outputs.${output}`);
    }
    return nested.output(output, { logicalId, field: `Outputs.${output}` });
  }

  private parameter(name: string, where: Where): Json {
    const def = isJsonObject(this.parameterDefs[name]) ? (this.parameterDefs[name] as JsonObject) : {};
    const type = typeof def.Type === 'string' ? def.Type : 'String';
    const given = this.parameterValues[name];
    let value: Json | undefined = given;
    if (value === undefined) {
      if (type.startsWith('AWS::SSM::Parameter::Value<')) {
        this.note(
          where.logicalId,
          `parameter ${name} is read from SSM parameter ${String(def.Default)} at ` +
            `deployment; give its value with --parameter-overrides ${name}=<value>`,
          where.field,
          'parameter-without-value',
        );
        return unresolvedString(`parameter ${name}`);
      }
      value = def.Default;
    }
    if (value === undefined) {
      this.note(
        where.logicalId,
        `parameter ${name} has no default and no value was given; give it one ` +
          `with --parameter-overrides ${name}=<value>`,
        where.field,
        'parameter-without-value',
      );
      return unresolvedString(`parameter ${name}`);
    }
    if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof value === 'string') {
      return value.split(',').map((s) => s.trim());
    }
    return typeof value === 'number' ? String(value) : value;
  }

  private pseudo(name: string): Resolved | undefined {
    switch (name) {
      case 'AWS::AccountId':
        return this.env.account;
      case 'AWS::Region':
        return this.env.region;
      case 'AWS::Partition':
        return this.env.partition;
      case 'AWS::URLSuffix':
        return this.env.urlSuffix;
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId': {
        const h = createHash('sha256').update(`stack/${this.stackName}`).digest('hex');
        const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
        return (
          `arn:${this.env.partition}:cloudformation:${this.env.region}:` +
          `${this.env.account}:stack/${this.stackName}/${uuid}`
        );
      }
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private guard<T>(logicalId: string, where: Where, fn: () => T): T {
    const at = this.resolving.indexOf(logicalId);
    if (at >= 0) {
      const cycle = [...this.resolving.slice(at), logicalId].join(' → ');
      throw assemblyError(
        ASSEMBLY_ERRORS.cycle,
        `${describeLocation(this.location(where))}: resources refer to each ` +
          `other in a cycle (Ref/Fn::GetAtt): ${cycle}.`,
        'Break the cycle: give one of these resources a literal value (for ' +
          'example a fixed name) instead of a reference.',
      );
    }
    this.resolving.push(logicalId);
    try {
      return fn();
    } finally {
      this.resolving.pop();
    }
  }

  private intrinsicsTooDeep(where: Where): Error {
    const field = where.field.split('.').slice(0, 3).join('.');
    return limitError(
      `${describeLocation(this.location({ ...where, field: `${field}…` }))}: ` +
        `intrinsic functions are nested more than ` +
        `${LOADER_LIMITS.maxIntrinsicDepth} calls deep; the loader's limit is ${LOADER_LIMITS.maxIntrinsicDepth}.`,
      'Flatten the value: Fn::Join and Fn::Sub take a list of parts, Fn::If ' +
        'chains can be one condition (Fn::Or/Fn::And).',
    );
  }

  private unknownName(fn: string, name: string, where: Where, parametersToo = true): Error {
    const what = parametersToo ? 'neither a resource, a parameter nor a pseudo parameter' : 'not a resource';
    return assemblyError(
      ASSEMBLY_ERRORS.unknownReference,
      `${describeLocation(this.location(where))}: ${fn} to "${name}", which is ${what} of stack ${this.sourceStack}.`,
      `Correct the name or declare it. Resources: ${listNames(Object.keys(this.resources))}` +
        (parametersToo ? `; parameters: ${listNames(Object.keys(this.parameterDefs))}` : '') +
        '.',
    );
  }
}
