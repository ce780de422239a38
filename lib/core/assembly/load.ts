/**
 * `loadBatchModel`: a cloud assembly directory or a single template → {@link BatchModel}.
 */
import { existsSync, realpathSync, statSync } from 'fs';
import * as path from 'path';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  emptyBatchModel,
  type BatchModel,
  type DeploymentEnvironment,
} from '../model/batch-model';
import { computeEnvironmentFrom, jobDefinitionFrom, jobQueueFrom, schedulingPolicyFrom } from './batch-resources';
import {
  readAssembly,
  readAssetManifest,
  type AssemblyIndex,
  type AssemblyStack,
  type DockerImageEntry,
} from './cloud-assembly';
import { assetForImage, imagesOf } from './docker-assets';
import { ASSEMBLY_ERRORS, assemblyError, listNames } from './errors';
import { insideAssembly } from './files';
import { isJsonObject, stringProp, type Json, type JsonObject } from './json';
import { LOADER_LIMITS, limitError } from './limits';
import { isUnresolved } from '../model/unresolved';
import { NoteSink } from './notes';
import { readTemplateFile } from './parse';
import { nestedStackName } from './physical-ids';
import { StackContext } from './stack-context';
import { instanceProfileFrom, launchTemplateFrom, policiesFrom, roleFrom } from './support-resources';

/** Options of {@link loadBatchModel}. */
export interface LoadOptions {
  /**
   * Only these stacks (artifact ids, stack names or display names such as `Stage/Stack`).
   * Ignored when loading a single template file.
   * @default - every stack
   */
  readonly stacks?: readonly string[];
  /**
   * Account/region/partition for environment-agnostic stacks (a stack whose manifest environment is
   * concrete keeps its own account and region).
   * @default - DEFAULT_DEPLOYMENT_ENVIRONMENT
   */
  readonly environment?: Partial<DeploymentEnvironment>;
  /**
   * Values for template parameters of the top-level stacks (nested stacks get theirs from the parent).
   * @default - parameter defaults; a parameter without default becomes an unresolved value and a note
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Local template files for nested stacks (`AWS::CloudFormation::Stack`) whose `TemplateURL` is not
   * a file of the cloud assembly (an S3 URL, for instance): nested stack logical id, or its path
   * `<Parent stack>/<LogicalId>`, → template file. Takes precedence over the assembly's own file.
   * @default - nested stack templates are found in the cloud assembly or as local `TemplateURL`s only
   */
  readonly nested?: Readonly<Record<string, string>>;
}

/** Where the files of the load come from, for nested stacks and docker assets, and what the load has read. */
interface Sources {
  readonly dir: string;
  /** True for a cloud assembly; false for a single template. */
  readonly assembly: boolean;
  readonly files: Map<string, string>;
  readonly dockerImages: DockerImageEntry[];
  /** Parsed templates by real path: a template used by many nested stacks is read once. */
  readonly templates: Map<string, JsonObject>;
  /** Nested stacks opened so far. */
  nestedOpened: number;
  /** `options.nested`, and which of its keys were used. */
  readonly nestedFiles: Readonly<Record<string, string>>;
  readonly nestedUsed: Set<string>;
}

function newSources(
  dir: string,
  assembly: boolean,
  index: Pick<AssemblyIndex, 'files' | 'dockerImages'> | undefined,
  options: LoadOptions,
): Sources {
  return {
    dir,
    assembly,
    files: index?.files ?? new Map(),
    dockerImages: index?.dockerImages ?? [],
    templates: new Map(),
    nestedOpened: 0,
    nestedFiles: options.nested ?? {},
    nestedUsed: new Set(),
  };
}

/**
 * Loads a cloud assembly directory (`cdk.out`, or its `manifest.json`) or a single CloudFormation
 * template (JSON or YAML) into a {@link BatchModel}. Intrinsic functions are resolved; values
 * known only at deployment become unresolved values (see `isUnresolved`) with a note in `model.notes`.
 * Generated names and ids are deterministic: see `physical-ids.ts`. Each stack uses its manifest
 * environment when concrete, else `options.environment`, else {@link DEFAULT_DEPLOYMENT_ENVIRONMENT}
 * (partition `aws-cn`/`aws-us-gov` inferred from `cn-`/`us-gov-` regions); `model.environment` is
 * the first loaded stack's.
 * Every input is read in bounded time and memory (see `limits.ts`).
 * @throws BatchkitError `BATCHKIT-ASSEMBLY-001`…`011` (kind `input`), see `errors.ts`
 */
export function loadBatchModel(p: string, options: LoadOptions = {}): BatchModel {
  const abs = path.resolve(p);
  if (!existsSync(abs)) {
    throw assemblyError(
      ASSEMBLY_ERRORS.pathMissing,
      `${abs} does not exist.`,
      'Pass the cdk.out directory written by `cdk synth` or a CloudFormation ' +
        'template file; run `cdk synth` first if cdk.out is missing.',
    );
  }
  if (statSync(abs).isDirectory()) return loadAssembly(readAssembly(abs), options);
  if (path.basename(abs) === 'manifest.json') return loadAssembly(readAssembly(path.dirname(abs)), options);
  return loadTemplate(abs, options);
}

/**
 * The environment of one stack: its manifest's account and region when concrete, else `options.environment`, else
 * the default.
 */
export function environmentOf(
  stack: { account?: string; region?: string },
  options: Pick<LoadOptions, 'environment'>,
): DeploymentEnvironment {
  const base: DeploymentEnvironment = { ...DEFAULT_DEPLOYMENT_ENVIRONMENT, ...options.environment };
  const region = stack.region ?? base.region;
  const partitionGiven = options.environment?.partition !== undefined;
  const inferred = region.startsWith('cn-')
    ? { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' }
    : region.startsWith('us-gov-')
      ? { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' }
      : {};
  return { ...base, ...(partitionGiven ? {} : inferred), account: stack.account ?? base.account, region };
}

function loadAssembly(index: AssemblyIndex, options: LoadOptions): BatchModel {
  let stacks = index.stacks;
  if (options.stacks && options.stacks.length > 0) {
    const wanted = options.stacks;
    const missing = wanted.filter((w) => !stacks.some((s) => matchesStack(s, w)));
    if (missing.length > 0) {
      throw assemblyError(
        ASSEMBLY_ERRORS.unknownStack,
        `The cloud assembly ${index.dir} has no stack ${missing.map((m) => `"${m}"`).join(', ')}. Its stacks: ` +
          `${listNames(
            stacks.map((s) => (s.displayName === s.artifactId ? s.artifactId : `${s.artifactId} (${s.displayName})`)),
            50,
          )}.`,
        'Name a stack by its artifact id, stack name or display name, or leave out the stack filter.',
      );
    }
    stacks = stacks.filter((s) => wanted.some((w) => matchesStack(s, w)));
  }
  const model = emptyBatchModel(stacks.length > 0 ? environmentOf(stacks[0], options) : environmentOf({}, options));
  const sink = new NoteSink();
  const sources = newSources(index.dir, true, index, options);
  const contexts = stacks.map((stack) =>
    loadStack(stack, environmentOf(stack, options), options, sources, sink, model),
  );
  checkOptionsUsed(contexts, options, sources);
  model.notes.push(...sink.notes);
  return model;
}

/** True when `name` is the stack's artifact id, stack name or display name. */
export function matchesStack(s: AssemblyStack, name: string): boolean {
  return s.artifactId === name || s.stackName === name || s.displayName === name;
}

function loadTemplate(file: string, options: LoadOptions): BatchModel {
  const dir = path.dirname(file);
  let index: AssemblyIndex | undefined;
  if (existsSync(path.join(dir, 'manifest.json'))) {
    index = readAssembly(dir);
  }
  const known = index?.stacks.find((s) => s.templateFile === file);
  const base = path.basename(file).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  const stack: AssemblyStack = known ?? { artifactId: base, stackName: base, displayName: base, templateFile: file };
  const sources = newSources(dir, index !== undefined, index, options);
  if (!index) readAssetManifest(path.join(dir, `${base}.assets.json`), sources, new Set());
  const env = environmentOf(stack, options);
  const model = emptyBatchModel(env);
  const sink = new NoteSink();
  const ctx = loadStack(stack, env, options, sources, sink, model);
  checkOptionsUsed([ctx], options, sources);
  model.notes.push(...sink.notes);
  return model;
}

function loadStack(
  stack: AssemblyStack,
  env: DeploymentEnvironment,
  options: LoadOptions,
  sources: Sources,
  sink: NoteSink,
  model: BatchModel,
): StackContext {
  const ctx = new StackContext(
    {
      sourceStack: stack.artifactId,
      stackName: stack.stackName,
      file: stack.templateFile,
      template: templateOf(stack.templateFile, sources),
      env,
      parameterValues: { ...(options.parameters ?? {}) },
      openNested: (parent, logicalId) => openNested(parent, logicalId, sources, sink),
      chain: [{ stack: stack.artifactId, file: realFile(stack.templateFile) }],
    },
    sink,
  );
  addResources(ctx, sources, model);
  return ctx;
}

/**
 * Parameter overrides every loaded top-level stack lacks, and `nested` entries no nested stack used:
 * BATCHKIT-ASSEMBLY-011.
 */
function checkOptionsUsed(contexts: readonly StackContext[], options: LoadOptions, sources: Sources): void {
  const unknown = Object.keys(options.parameters ?? {}).filter(
    (name) => !contexts.some((c) => c.declaresParameter(name)),
  );
  if (unknown.length > 0) {
    const declared = [...new Set(contexts.flatMap((c) => c.parameterNames()))];
    throw assemblyError(
      ASSEMBLY_ERRORS.badOption,
      `parameter override ${unknown.map((u) => `"${u}"`).join(', ')}: no loaded stack declares ` +
        `${unknown.length === 1 ? 'this parameter' : 'these parameters'}.`,
      `Name parameters of the template's Parameters section: ${listNames(declared)}.`,
    );
  }
  const unused = Object.keys(sources.nestedFiles).filter((k) => !sources.nestedUsed.has(k));
  if (unused.length > 0) {
    throw assemblyError(
      ASSEMBLY_ERRORS.badOption,
      `nested stack mapping ${unused.map((u) => `"${u}"`).join(', ')}: no ` +
        `loaded stack has a nested stack (AWS::CloudFormation::Stack) of that logical id.`,
      'Name the nested stack by its logical id (or <Parent ' +
        'stack>/<LogicalId>), as the notes of `batchkit validate` list it.',
    );
  }
}

function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** The parsed template of a file, read once per load. */
function templateOf(file: string, sources: Sources): JsonObject {
  const key = realFile(file);
  let t = sources.templates.get(key);
  if (!t) {
    t = readTemplateFile(file);
    sources.templates.set(key, t);
  }
  return t;
}

function addResources(ctx: StackContext, sources: Sources, model: BatchModel): void {
  for (const [logicalId, resource] of Object.entries(ctx.resources)) {
    if (!ctx.included(logicalId)) continue;
    switch (resource.Type) {
      case 'AWS::Batch::JobDefinition': {
        const jd = jobDefinitionFrom(ctx, logicalId);
        model.jobDefinitions.push(jd);
        for (const image of imagesOf(jd)) {
          if (model.dockerImageAssets.some((a) => a.imageUri === image)) continue;
          const asset = assetForImage(image, ctx.env, sources.dockerImages);
          if (asset) model.dockerImageAssets.push(asset);
        }
        break;
      }
      case 'AWS::Batch::JobQueue':
        model.jobQueues.push(jobQueueFrom(ctx, logicalId));
        break;
      case 'AWS::Batch::ComputeEnvironment':
        model.computeEnvironments.push(computeEnvironmentFrom(ctx, logicalId));
        break;
      case 'AWS::Batch::SchedulingPolicy':
        model.schedulingPolicies.push(schedulingPolicyFrom(ctx, logicalId));
        break;
      case 'AWS::EC2::LaunchTemplate':
        model.launchTemplates.push(launchTemplateFrom(ctx, logicalId));
        break;
      case 'AWS::IAM::Role':
        model.roles.push(roleFrom(ctx, logicalId));
        model.policies.push(...policiesFrom(ctx, logicalId, resource.Type));
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        model.policies.push(...policiesFrom(ctx, logicalId, resource.Type));
        break;
      case 'AWS::IAM::InstanceProfile':
        model.instanceProfiles.push(instanceProfileFrom(ctx, logicalId));
        break;
      case 'AWS::CloudFormation::Stack': {
        const nested = ctx.nested(logicalId);
        if (nested) addResources(nested, sources, model);
        break;
      }
      default:
        break;
    }
  }
}

/** Where a nested stack's template was looked for, when it was not found. */
interface NotFound {
  readonly why: string;
}

/** The `--nested` entry for a nested stack: its logical id or `<parent stack>/<logical id>`. */
function mappedFile(parent: StackContext, logicalId: string, sources: Sources): string | undefined {
  for (const key of [`${parent.sourceStack}/${logicalId}`, logicalId]) {
    const f = sources.nestedFiles[key];
    if (f !== undefined) {
      sources.nestedUsed.add(key);
      return path.resolve(f);
    }
  }
  return undefined;
}

/**
 * The template of a nested stack: the `nested` option, `aws:asset:path` metadata, the asset hash in
 * `TemplateURL`, or a local path. Files a cloud assembly points at must lie inside it.
 */
function nestedTemplateFile(parent: StackContext, logicalId: string, sources: Sources): string | NotFound {
  const mapped = mappedFile(parent, logicalId, sources);
  if (mapped !== undefined) return mapped;
  const resource = parent.resources[logicalId];
  const where = `${parent.file}, resource "${logicalId}"`;
  const assetPath = stringProp(isJsonObject(resource.Metadata) ? resource.Metadata : undefined, 'aws:asset:path');
  if (assetPath) {
    const f = path.resolve(sources.dir, assetPath);
    if (existsSync(f)) return insideAssembly(f, sources.dir, `${where} (Metadata aws:asset:path)`);
  }
  const url = parent.prop(logicalId, 'TemplateURL');
  if (typeof url !== 'string') return { why: 'it has no TemplateURL that batchkit can read' };
  if (isUnresolved(url)) return { why: 'its TemplateURL is known only at deployment' };
  for (const hash of url.match(/[0-9a-f]{64}/g) ?? []) {
    const f = sources.files.get(hash) ?? path.join(sources.dir, `${hash}.nested.template.json`);
    if (existsSync(f)) return insideAssembly(f, sources.dir, `${where} (TemplateURL asset ${hash.slice(0, 12)}…)`);
  }
  if (!/^[a-z]+:\/\//i.test(url)) {
    const local = path.resolve(path.dirname(parent.file), url);
    if (existsSync(local)) return local;
    return { why: `its TemplateURL ${url} is not a file next to the template` };
  }
  const what = sources.assembly ? 'the cloud assembly has no file for it' : 'batchkit reads local files only';
  return { why: `its TemplateURL is ${url.length > 200 ? `${url.slice(0, 200)}…` : url}, and ${what}` };
}

function openNested(
  parent: StackContext,
  logicalId: string,
  sources: Sources,
  sink: NoteSink,
): StackContext | undefined {
  const file = nestedTemplateFile(parent, logicalId, sources);
  if (typeof file !== 'string') {
    parent.note(
      logicalId,
      `nested stack ${logicalId} was not loaded: ${file.why}; its resources ` +
        `are not checked. Map it to a local copy of its template with --nested ${logicalId}=<file>`,
      'Properties.TemplateURL',
      'nested-stack-not-loaded',
    );
    return undefined;
  }
  const sourceStack = `${parent.sourceStack}/${logicalId}`;
  const real = realFile(file);
  const at = parent.chain.findIndex((c) => c.file === real);
  if (at >= 0) {
    const chain = [...parent.chain.slice(at), { stack: sourceStack, file: real }]
      .map((c) => `${c.stack} (${c.file})`)
      .join(' → ');
    throw assemblyError(
      ASSEMBLY_ERRORS.cycle,
      `${parent.file}, resource "${logicalId}": nested stacks include each other in a cycle: ${chain}.`,
      'Break the cycle: a nested stack template must not include itself or a stack above it.',
    );
  }
  if (parent.chain.length > LOADER_LIMITS.maxNestedStackDepth) {
    throw limitError(
      `${parent.file}, resource "${logicalId}": nested stacks are nested more ` +
        `than ${LOADER_LIMITS.maxNestedStackDepth} levels deep (${sourceStack}); the loader's limit is ` +
        `${LOADER_LIMITS.maxNestedStackDepth}.`,
      'Nest fewer stack levels, or validate the inner template on its own.',
    );
  }
  if (sources.nestedOpened >= LOADER_LIMITS.maxNestedStacks) {
    throw limitError(
      `${parent.file}, resource "${logicalId}": the load reaches more than ` +
        `${LOADER_LIMITS.maxNestedStacks} nested stacks (templates including ` +
        `others several times multiply); the loader's limit is ${LOADER_LIMITS.maxNestedStacks}.`,
      'Validate the nested templates on their own, or include each nested template fewer times.',
    );
  }
  sources.nestedOpened++;
  const params = parent.prop(logicalId, 'Parameters');
  const parameterValues: Record<string, Json> = isJsonObject(params) ? { ...params } : {};
  return new StackContext(
    {
      sourceStack,
      stackName: nestedStackName(parent.stackName, logicalId),
      file,
      template: templateOf(file, sources),
      env: parent.env,
      parameterValues,
      openNested: (p, id) => openNested(p, id, sources, sink),
      chain: [...parent.chain, { stack: sourceStack, file: real }],
    },
    sink,
  );
}
