/**
 * `loadAppModel`: the app around the jobs (EventBridge rules and targets, Lambda functions, Step
 * Functions state machines, SNS topics and SQS queues) of a cloud assembly or template, resolved the
 * way {@link readResources} resolves properties, as typed {@link AppModel} records.
 */
import { existsSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import type { DeploymentEnvironment } from '../model/batch-model';
import type {
  AppModel,
  BatchTargetParameters,
  EventRuleModel,
  LambdaCode,
  LambdaFunctionModel,
  RuleTargetKind,
  RuleTargetModel,
  SnsTopicModel,
  StateMachineModel,
  TopicSubscriptionModel,
} from '../model/app';
import type { SourceLocation } from '../model/common';
import { describeUnresolved, isUnresolved } from '../model/unresolved';
import { readAssembly, readAssetManifest } from './cloud-assembly';
import { isJsonObject, objectProp, stringProp, type Json, type JsonObject } from './json';
import { readResources, type TemplateResource } from './resources';

/** Options of {@link loadAppModel}. */
export interface LoadAppOptions {
  /** Only these stacks, as in `LoadOptions.stacks`. @default - every stack */
  readonly stacks?: readonly string[];
  /** Account/region/partition for environment-agnostic stacks. @default - DEFAULT_DEPLOYMENT_ENVIRONMENT */
  readonly environment?: Partial<DeploymentEnvironment>;
}

const TYPES = [
  'AWS::Events::Rule',
  'AWS::Lambda::Function',
  'AWS::Lambda::Alias',
  'AWS::Lambda::Version',
  'AWS::StepFunctions::StateMachine',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::SQS::Queue',
];

const ATTRIBUTES: Record<string, readonly string[]> = {
  'AWS::Lambda::Function': ['Arn'],
  'AWS::SQS::Queue': ['Arn', 'QueueName'],
  'AWS::StepFunctions::StateMachine': ['Name'],
};

function text(v: Json | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return isUnresolved(v) ? describeUnresolved(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function num(v: Json | undefined): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Construct paths by `<artifact id>/<logical id>`, from the `aws:cdk:logicalId` entries of the
 * assembly manifest (there even when templates carry no `aws:cdk:path` metadata).
 */
function manifestPaths(appPath: string): Map<string, string> {
  const out = new Map<string, string>();
  const abs = path.resolve(appPath);
  const file = statSync(abs).isDirectory()
    ? path.join(abs, 'manifest.json')
    : path.join(path.dirname(abs), 'manifest.json');
  if (!existsSync(file)) return out;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return out;
  }
  for (const [artifactId, artifact] of Object.entries(objectProp(doc as Json, 'artifacts') ?? {})) {
    let metadata = objectProp(artifact, 'metadata') ?? {};
    // Newer CDK versions keep it in a file of its own.
    const extra = stringProp(artifact, 'additionalMetadataFile');
    if (extra && existsSync(path.join(path.dirname(file), extra))) {
      try {
        const more: unknown = JSON.parse(readFileSync(path.join(path.dirname(file), extra), 'utf8'));
        if (isJsonObject(more)) metadata = { ...metadata, ...more };
      } catch {
        // Unreadable extra metadata: construct paths are then unknown, nothing else changes.
      }
    }
    for (const [p, entries] of Object.entries(metadata)) {
      for (const e of Array.isArray(entries) ? entries.filter(isJsonObject) : []) {
        if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string')
          out.set(`${artifactId}/${e.data}`, p.replace(/^\//, ''));
      }
    }
  }
  return out;
}

function sourceOf(r: TemplateResource, paths: ReadonlyMap<string, string>): SourceLocation {
  const constructPath = stringProp(r.metadata, 'aws:cdk:path') ?? paths.get(`${r.stack}/${r.logicalId}`);
  return { stack: r.stack, logicalId: r.logicalId, ...(constructPath ? { constructPath } : {}) };
}

/** Asset hash → path, for Lambda code and state machine definitions stored as file assets. */
function assetFiles(appPath: string): { files: Map<string, string>; dir: string } {
  const abs = path.resolve(appPath);
  if (statSync(abs).isDirectory()) return { files: readAssembly(abs).files, dir: abs };
  const dir = path.dirname(abs);
  if (existsSync(path.join(dir, 'manifest.json'))) return { files: readAssembly(dir).files, dir };
  const index = { files: new Map<string, string>(), dockerImages: [] };
  const base = path.basename(abs).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  readAssetManifest(path.join(dir, `${base}.assets.json`), index, new Set());
  return { files: index.files, dir };
}

/** The file asset an S3 location names (`<hash>.zip` / `<hash>.json`), or the `aws:asset:path` metadata. */
function assetPath(
  key: string | undefined,
  r: TemplateResource,
  assets: { files: Map<string, string>; dir: string },
): string | undefined {
  const hash = key?.replace(/\.[a-z]+$/i, '');
  const fromManifest = hash ? assets.files.get(hash) : undefined;
  if (fromManifest) return fromManifest;
  const meta = stringProp(r.metadata, 'aws:asset:path');
  return meta ? path.resolve(assets.dir, meta) : undefined;
}

function lambdaCode(r: TemplateResource, assets: { files: Map<string, string>; dir: string }): LambdaCode {
  const code = objectProp(r.properties, 'Code') ?? {};
  const inline = stringProp(code, 'ZipFile');
  if (inline !== undefined) return { kind: 'inline', source: inline };
  if (stringProp(code, 'ImageUri'))
    return { kind: 'unavailable', reason: 'a container image function (Code.ImageUri)' };
  const key = text(code.S3Key);
  const p = assetPath(key, r, assets);
  if (!p || !existsSync(p))
    return {
      kind: 'unavailable',
      reason:
        `its code is the S3 object ${text(code.S3Bucket) ?? '?'}/${key ?? '?'}, ` +
        `which is no asset of this assembly`,
    };
  return statSync(p).isDirectory() ? { kind: 'directory', path: p } : { kind: 'zip', path: p };
}

function environmentOf(props: JsonObject): Record<string, string> {
  const vars = objectProp(objectProp(props, 'Environment'), 'Variables') ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = text(v) ?? '';
  return out;
}

/** The logical id a resolved property path refers to (`Targets[0].Arn`). */
function referenced(r: TemplateResource, p: string): string | undefined {
  return r.references.find((x) => x.path === p)?.logicalId;
}

function targetKind(type: string | undefined, arn: string): RuleTargetKind {
  switch (type) {
    case 'AWS::Lambda::Function':
    case 'AWS::Lambda::Alias':
    case 'AWS::Lambda::Version':
      return 'lambda';
    case 'AWS::Batch::JobQueue':
      return 'batch';
    case 'AWS::StepFunctions::StateMachine':
      return 'state-machine';
    case 'AWS::SNS::Topic':
      return 'sns';
    case 'AWS::SQS::Queue':
      return 'sqs';
    default:
      break;
  }
  const service = arn.split(':')[2];
  if (service === 'lambda') return 'lambda';
  if (service === 'batch' && arn.includes(':job-queue/')) return 'batch';
  if (service === 'states') return 'state-machine';
  if (service === 'sns') return 'sns';
  if (service === 'sqs') return 'sqs';
  return 'other';
}

function ruleTargets(r: TemplateResource, types: Map<string, string>): RuleTargetModel[] {
  const list = Array.isArray(r.properties.Targets) ? r.properties.Targets : [];
  return list.filter(isJsonObject).map((t, i) => {
    const arn = text(t.Arn) ?? '';
    const logicalId = referenced(r, `Targets[${i}].Arn`);
    const transformer = objectProp(t, 'InputTransformer');
    const batch = objectProp(t, 'BatchParameters');
    const paths = objectProp(transformer, 'InputPathsMap') ?? {};
    const batchParameters: BatchTargetParameters | undefined = batch
      ? {
          jobDefinition: text(batch.JobDefinition) ?? '',
          jobName: text(batch.JobName) ?? '',
          ...(num(objectProp(batch, 'ArrayProperties')?.Size) !== undefined
            ? { arraySize: num(objectProp(batch, 'ArrayProperties')?.Size) }
            : {}),
          ...(num(objectProp(batch, 'RetryStrategy')?.Attempts) !== undefined
            ? { attempts: num(objectProp(batch, 'RetryStrategy')?.Attempts) }
            : {}),
        }
      : undefined;
    const retries = num(objectProp(t, 'RetryPolicy')?.MaximumRetryAttempts);
    const input = text(t.Input);
    const inputPath = text(t.InputPath);
    return {
      id: text(t.Id) ?? `Target${i}`,
      arn,
      kind: targetKind(logicalId ? types.get(logicalId) : undefined, arn),
      ...(logicalId ? { logicalId } : {}),
      ...(input !== undefined ? { input } : {}),
      ...(inputPath !== undefined ? { inputPath } : {}),
      ...(transformer
        ? {
            inputTransformer: {
              inputPathsMap: Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, text(v) ?? ''])),
              inputTemplate: text(transformer.InputTemplate) ?? '',
            },
          }
        : {}),
      ...(batchParameters ? { batchParameters } : {}),
      ...(retries !== undefined ? { maximumRetryAttempts: retries } : {}),
    };
  });
}

function ruleFrom(r: TemplateResource, types: Map<string, string>, paths: ReadonlyMap<string, string>): EventRuleModel {
  const p = r.properties;
  const pattern = p.EventPattern;
  let eventPattern: Record<string, unknown> | undefined;
  if (isJsonObject(pattern)) eventPattern = pattern;
  else if (typeof pattern === 'string') {
    try {
      const parsed: unknown = JSON.parse(pattern);
      if (isJsonObject(parsed)) eventPattern = parsed;
    } catch {
      eventPattern = undefined;
    }
  }
  const schedule = text(p.ScheduleExpression);
  const bus = text(p.EventBusName);
  return {
    logicalId: r.logicalId,
    stack: r.stack,
    name: text(p.Name) ?? r.refValue,
    eventBusName: bus ? (bus.includes(':event-bus/') ? bus.slice(bus.indexOf(':event-bus/') + 11) : bus) : 'default',
    state: text(p.State) ?? 'ENABLED',
    ...(eventPattern ? { eventPattern } : {}),
    ...(schedule ? { scheduleExpression: schedule } : {}),
    targets: ruleTargets(r, types),
    source: sourceOf(r, paths),
  };
}

function definitionOf(
  r: TemplateResource,
  assets: { files: Map<string, string>; dir: string },
): { definition?: Record<string, unknown>; definitionProblem?: string } {
  const p = r.properties;
  let body: string | undefined;
  if (isJsonObject(p.Definition)) body = JSON.stringify(p.Definition);
  else if (typeof p.DefinitionString === 'string') body = p.DefinitionString;
  else if (isJsonObject(p.DefinitionS3Location)) {
    const file = assetPath(text(p.DefinitionS3Location.Key), r, assets);
    if (!file || !existsSync(file))
      return {
        definitionProblem:
          `its definition is the S3 object ${text(p.DefinitionS3Location.Bucket) ?? '?'}/` +
          `${text(p.DefinitionS3Location.Key) ?? '?'}, which is no asset of this assembly`,
      };
    body = readFileSync(file, 'utf8');
  }
  if (body === undefined)
    return { definitionProblem: 'it has neither Definition, DefinitionString nor DefinitionS3Location' };
  for (const [k, v] of Object.entries(objectProp(p, 'DefinitionSubstitutions') ?? {}))
    body = body.split(`\${${k}}`).join(text(v) ?? '');
  if (isUnresolved(body))
    return {
      definitionProblem: `its definition holds values known only at deployment (${describeUnresolved(body)})`,
    };
  try {
    const parsed: unknown = JSON.parse(body);
    return isJsonObject(parsed) ? { definition: parsed } : { definitionProblem: 'its definition is not a JSON object' };
  } catch (e) {
    return { definitionProblem: `its definition is not valid JSON (${(e as Error).message})` };
  }
}

/**
 * Loads the app around the jobs of a cloud assembly directory or a template. Lambda code is found
 * through the asset manifest (`Code.S3Key` = `<asset hash>.zip`) or `aws:asset:path` metadata;
 * `Code.ZipFile` is kept as inline source. Nested stacks are not read.
 * @throws BatchkitError `BATCHKIT-ASSEMBLY-*` as {@link readResources}
 */
export function loadAppModel(appPath: string, options: LoadAppOptions = {}): AppModel {
  const resources = readResources(appPath, TYPES, {
    stacks: options.stacks,
    environment: options.environment,
    attributes: ATTRIBUTES,
  });
  const assets = assetFiles(appPath);
  const paths = manifestPaths(appPath);
  const types = new Map<string, string>();
  for (const r of resources) types.set(r.logicalId, r.type);
  const of = (type: string) => resources.filter((r) => r.type === type);
  const notes: string[] = [];

  const qualified = new Map<string, string[]>();
  for (const r of [...of('AWS::Lambda::Alias'), ...of('AWS::Lambda::Version')]) {
    const fn = referenced(r, 'FunctionName');
    if (!fn) continue;
    const base = resources.find((x) => x.logicalId === fn && x.stack === r.stack);
    const arn = text(base?.attributes.Arn);
    const qualifier = r.type === 'AWS::Lambda::Alias' ? text(r.properties.Name) : r.logicalId;
    if (arn && qualifier)
      qualified.set(`${r.stack}/${fn}`, [
        ...(qualified.get(`${r.stack}/${fn}`) ?? []),
        `${arn}:${qualifier}`,
        r.refValue,
      ]);
  }
  const functions: LambdaFunctionModel[] = of('AWS::Lambda::Function').map((r) => {
    const p = r.properties;
    const code = lambdaCode(r, assets);
    if (code.kind === 'unavailable')
      notes.push(`Lambda function ${r.logicalId} (${r.stack}): ${code.reason}; it cannot run locally.`);
    const runtime = text(p.Runtime);
    const handler = text(p.Handler);
    return {
      logicalId: r.logicalId,
      stack: r.stack,
      functionName: r.refValue,
      arn: text(r.attributes.Arn) ?? r.refValue,
      qualifiedArns: qualified.get(`${r.stack}/${r.logicalId}`) ?? [],
      ...(runtime ? { runtime } : {}),
      ...(handler ? { handler } : {}),
      environment: environmentOf(p),
      timeoutSeconds: num(p.Timeout) ?? 3,
      memoryMiB: num(p.MemorySize) ?? 128,
      code,
      source: sourceOf(r, paths),
    };
  });

  const stateMachines: StateMachineModel[] = of('AWS::StepFunctions::StateMachine').map((r) => {
    const d = definitionOf(r, assets);
    if (d.definitionProblem) notes.push(`State machine ${r.logicalId} (${r.stack}): ${d.definitionProblem}.`);
    return {
      logicalId: r.logicalId,
      stack: r.stack,
      name: text(r.attributes.Name) ?? r.refValue,
      arn: r.refValue,
      ...d,
      source: sourceOf(r, paths),
    };
  });

  const subscriptions = new Map<string, TopicSubscriptionModel[]>();
  const addSub = (key: string, s: TopicSubscriptionModel) =>
    subscriptions.set(key, [...(subscriptions.get(key) ?? []), s]);
  for (const r of of('AWS::SNS::Subscription')) {
    const topic = referenced(r, 'TopicArn');
    const protocol = text(r.properties.Protocol);
    const endpoint = text(r.properties.Endpoint);
    if (topic && protocol && endpoint)
      addSub(`${r.stack}/${topic}`, {
        protocol,
        endpoint,
        rawMessageDelivery: r.properties.RawMessageDelivery === true || r.properties.RawMessageDelivery === 'true',
      });
  }
  const topics: SnsTopicModel[] = of('AWS::SNS::Topic').map((r) => {
    const inline = Array.isArray(r.properties.Subscription) ? r.properties.Subscription.filter(isJsonObject) : [];
    for (const s of inline) {
      const protocol = text(s.Protocol);
      const endpoint = text(s.Endpoint);
      if (protocol && endpoint) addSub(`${r.stack}/${r.logicalId}`, { protocol, endpoint, rawMessageDelivery: false });
    }
    return {
      logicalId: r.logicalId,
      stack: r.stack,
      name: r.refValue.split(':').pop() ?? r.refValue,
      arn: r.refValue,
      subscriptions: subscriptions.get(`${r.stack}/${r.logicalId}`) ?? [],
    };
  });

  const queues = of('AWS::SQS::Queue').map((r) => ({
    logicalId: r.logicalId,
    stack: r.stack,
    name: text(r.attributes.QueueName) ?? r.logicalId,
    arn: text(r.attributes.Arn) ?? '',
    url: r.refValue,
  }));
  const rules = of('AWS::Events::Rule').map((r) => ruleFrom(r, types, paths));
  for (const rule of rules) {
    if (!rule.eventPattern && !rule.scheduleExpression)
      notes.push(`Rule ${rule.logicalId} (${rule.stack}): its EventPattern is not a JSON object.`);
  }
  return { rules, functions, stateMachines, topics, queues, notes };
}
