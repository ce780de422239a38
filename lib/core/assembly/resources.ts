/**
 * `readResources`: the resources of chosen CloudFormation types of an app (cloud assembly or single
 * template), with their properties resolved exactly as {@link loadBatchModel} resolves them, and
 * every property that is a `Ref` or `Fn::GetAtt` of another resource of the same stack reported as
 * a {@link ResourceReference}. For code outside the core (the SDK provisioner) that needs resources
 * the Batch model does not carry (VPCs, security groups, launch templates, IAM policies) without
 * reaching into the loader's internals.
 */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import type { DeploymentEnvironment } from '../model/batch-model';
import { readAssembly, type AssemblyStack } from './cloud-assembly';
import { ASSEMBLY_ERRORS, assemblyError, listNames } from './errors';
import { INTRINSIC_NAMES } from './intrinsics';
import { isJsonObject, NO_VALUE, type Json, type JsonObject, type Resolved } from './json';
import { environmentOf, matchesStack } from './load';
import { NoteSink } from './notes';
import { readTemplateFile } from './parse';
import { getAttValue, refValue } from './physical-ids';
import { StackContext, type Where } from './stack-context';

/** A property whose value is a `Ref` or `Fn::GetAtt` of another resource of the stack. */
export interface ResourceReference {
  /** Path in the resolved properties: `VpcId`, `ComputeResources.Subnets[0]`, `LaunchTemplate.Version`. */
  readonly path: string;
  /** Logical id of the resource referred to. */
  readonly logicalId: string;
  /** The attribute read by `Fn::GetAtt`; absent for a `Ref`. */
  readonly attribute?: string;
}

/** One resource of a template, resolved. */
export interface TemplateResource {
  /** Stack artifact id (what `source.stack` of the Batch model holds). */
  readonly stack: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** Logical id. */
  readonly logicalId: string;
  /** CloudFormation type (`AWS::EC2::Subnet`). */
  readonly type: string;
  /** `Properties` with every intrinsic function resolved (values known only at deployment are unresolved values). */
  readonly properties: JsonObject;
  /**
   * Properties that are a `Ref` or `Fn::GetAtt` of another resource, in the order met. References
   * inside other functions (`Fn::Join`, `Fn::Sub`) are resolved into the text and not listed.
   */
  readonly references: readonly ResourceReference[];
  /** What `{ "Ref": logicalId }` resolves to. */
  readonly refValue: string;
  /** What `Fn::GetAtt` resolves to for each attribute asked for in {@link ReadResourcesOptions.attributes}. */
  readonly attributes: Readonly<Record<string, Json>>;
  /** Logical ids of its `DependsOn`. */
  readonly dependsOn: readonly string[];
  /** Its `Metadata` (`aws:cdk:path`, `aws:asset:path`), as written. */
  readonly metadata?: JsonObject;
}

/** Options of {@link readResources}. */
export interface ReadResourcesOptions {
  /**
   * Only these stacks (artifact ids, stack names or display names), as in `LoadOptions.stacks`.
   * @default - every stack
   */
  readonly stacks?: readonly string[];
  /**
   * Account/region/partition for environment-agnostic stacks, as in `LoadOptions.environment`.
   * @default - DEFAULT_DEPLOYMENT_ENVIRONMENT
   */
  readonly environment?: Partial<DeploymentEnvironment>;
  /**
   * Attributes to resolve per type (`{ 'AWS::EC2::VPC': ['VpcId'] }`), returned in `attributes`.
   * @default - none
   */
  readonly attributes?: Readonly<Record<string, readonly string[]>>;
}

/** The top-level stacks of an app path; throws BATCHKIT-ASSEMBLY-001 / -002 / -006 like the loader. */
function appStacks(appPath: string, wanted: readonly string[] | undefined): AssemblyStack[] {
  const abs = path.resolve(appPath);
  if (!existsSync(abs)) {
    throw assemblyError(
      ASSEMBLY_ERRORS.pathMissing,
      `${abs} does not exist.`,
      'Pass the cdk.out directory written by `cdk synth` or a CloudFormation template file.',
    );
  }
  const isDir = statSync(abs).isDirectory();
  if (isDir || path.basename(abs) === 'manifest.json') {
    const dir = isDir ? abs : path.dirname(abs);
    const all = readAssembly(dir).stacks;
    if (!wanted || wanted.length === 0) return all;
    const missing = wanted.filter((w) => !all.some((s) => matchesStack(s, w)));
    if (missing.length > 0) {
      throw assemblyError(
        ASSEMBLY_ERRORS.unknownStack,
        `The cloud assembly ${dir} has no stack ${missing.map((m) => `"${m}"`).join(', ')}. Its stacks: ` +
          `${listNames(
            all.map((s) => s.artifactId),
            50,
          )}.`,
        'Name a stack by its artifact id, stack name or display name, or leave out the stack filter.',
      );
    }
    return all.filter((s) => wanted.some((w) => matchesStack(s, w)));
  }
  const known = existsSync(path.join(path.dirname(abs), 'manifest.json'))
    ? readAssembly(path.dirname(abs)).stacks.find((s) => s.templateFile === abs)
    : undefined;
  const base = path.basename(abs).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  return [known ?? { artifactId: base, stackName: base, displayName: base, templateFile: abs }];
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** The target of a `Ref` / `Fn::GetAtt` value when it names a resource of the stack (literal arguments only). */
function referenceOf(ctx: StackContext, fn: string, arg: Json): { logicalId: string; attribute?: string } | undefined {
  if (fn === 'Ref')
    return typeof arg === 'string' && ctx.resources[arg] && !arg.startsWith('AWS::') ? { logicalId: arg } : undefined;
  let parts: Json[] | undefined;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    parts = dot > 0 ? [arg.slice(0, dot), arg.slice(dot + 1)] : undefined;
  } else if (Array.isArray(arg) && arg.length === 2) {
    parts = arg;
  }
  const [id, attribute] = parts ?? [];
  return typeof id === 'string' && typeof attribute === 'string' && ctx.resources[id]
    ? { logicalId: id, attribute }
    : undefined;
}

/**
 * Resolves `value` as `StackContext.resolve` does, recording each `Ref` / `Fn::GetAtt` of a resource
 * under its path in the result. `Fn::If` with a known condition is followed into its branch.
 */
function resolveTracking(
  ctx: StackContext,
  value: Json,
  where: Where,
  out: string,
  refs: ResourceReference[],
): Resolved {
  if (Array.isArray(value)) {
    const items: Json[] = [];
    value.forEach((item, i) => {
      const r = resolveTracking(ctx, item, { ...where, field: `${where.field}[${i}]` }, join(out, items.length), refs);
      if (r !== NO_VALUE) items.push(r);
    });
    return items;
  }
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && INTRINSIC_NAMES.has(keys[0])) {
    const fn = keys[0];
    const arg = value[fn];
    if (fn === 'Ref' || fn === 'Fn::GetAtt') {
      const target = referenceOf(ctx, fn, arg);
      const resolved = ctx.resolve(value, where);
      if (target && resolved !== NO_VALUE) refs.push({ path: out, ...target });
      return resolved;
    }
    if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string') {
      const field = `${where.field}.Fn::If`;
      const condition = ctx.condition(arg[0], { ...where, field });
      if (condition !== undefined)
        return resolveTracking(
          ctx,
          condition ? arg[1] : arg[2],
          { ...where, field: `${field}[${condition ? 1 : 2}]` },
          out,
          refs,
        );
    }
    return ctx.resolve(value, where);
  }
  const result: JsonObject = {};
  for (const k of keys) {
    const r = resolveTracking(
      ctx,
      value[k],
      { ...where, field: where.field ? `${where.field}.${k}` : k },
      join(out, k),
      refs,
    );
    if (r !== NO_VALUE) result[k] = r;
  }
  return result;
}

/**
 * The resources of the given CloudFormation types in an app: a cloud assembly directory (or its
 * `manifest.json`) or a single template, JSON or YAML. Per stack, resources come in the order of
 * `types`, then in template order; resources whose `Condition` is false are left out. Nested stacks
 * are not read. Names and ids (`Ref`, `Fn::GetAtt`) are the same deterministic values the loader
 * gives, so a subnet id here equals the one in the Batch model's compute environment.
 * @throws BatchkitError `BATCHKIT-ASSEMBLY-*` (kind `input`) for a missing path, a bad file, an
 *   unknown stack or a malformed intrinsic function
 */
export function readResources(
  appPath: string,
  types: readonly string[],
  options: ReadResourcesOptions = {},
): TemplateResource[] {
  const out: TemplateResource[] = [];
  const sink = new NoteSink();
  for (const stack of appStacks(appPath, options.stacks)) {
    const ctx = new StackContext(
      {
        sourceStack: stack.artifactId,
        stackName: stack.stackName,
        file: stack.templateFile,
        template: readTemplateFile(stack.templateFile),
        env: environmentOf(stack, { environment: options.environment }),
        parameterValues: {},
      },
      sink,
    );
    for (const type of types) {
      for (const [logicalId, resource] of Object.entries(ctx.resources)) {
        if (resource.Type !== type || !ctx.included(logicalId)) continue;
        const references: ResourceReference[] = [];
        const resolved = resolveTracking(
          ctx,
          resource.Properties ?? {},
          { logicalId, field: 'Properties' },
          '',
          references,
        );
        const deps = resource.DependsOn;
        const attributes: Record<string, Json> = {};
        for (const a of options.attributes?.[type] ?? []) attributes[a] = getAttValue(ctx, type, logicalId, a);
        out.push({
          stack: stack.artifactId,
          stackName: stack.stackName,
          logicalId,
          type,
          properties: isJsonObject(resolved) ? resolved : {},
          references,
          refValue: refValue(ctx, type, logicalId),
          attributes,
          dependsOn:
            typeof deps === 'string'
              ? [deps]
              : Array.isArray(deps)
                ? deps.filter((d): d is string => typeof d === 'string')
                : [],
          ...(isJsonObject(resource.Metadata) ? { metadata: resource.Metadata } : {}),
        });
      }
    }
  }
  return out;
}
