/**
 * Template snapshots that are byte-stable across machines and runs: what changes without a change
 * of the app is replaced or removed, everything else is left as synthesized.
 *
 * - 64-hex asset hashes (S3 keys, image tags, `asset.<hash>` paths) become `<asset-hash>`;
 * - the 8-hex content suffix batchkit gives compute environments that use a `BatchLaunchTemplate`
 *   (`<name>-1a2b3c4d`) becomes `<content-hash>`;
 * - the bootstrap version check (`Parameters.BootstrapVersion`, `Rules.CheckBootstrapVersion`) and
 *   CDK metadata (`CDKMetadata` resource, `CDKMetadataAvailable` condition, `aws:cdk:*` and `aws:asset:*`
 *   resource metadata) are removed.
 */
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stackOf, synthesize } from './synth';

/** A CloudFormation template as JSON. */
export type TemplateJson = { [key: string]: unknown };

const SCRUBBED = new WeakSet<object>();

/** The stack's synthesized template, scrubbed (see the module comment). */
export function templateSnapshot(stack: IConstruct): TemplateJson {
  const s = stackOf(stack);
  const { directory } = synthesize(s);
  return scrubTemplate(JSON.parse(readFileSync(path.join(directory, s.templateFile), 'utf8')) as TemplateJson);
}

/** A scrubbed deep copy of `template` (see the module comment). */
export function scrubTemplate(template: TemplateJson): TemplateJson {
  const text = JSON.stringify(template)
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')
    .replace(/("ComputeEnvironmentName":"[^"]*-)[0-9a-f]{8}"/g, '$1<content-hash>"');
  const copy = JSON.parse(text) as TemplateJson;
  dropKey(copy, 'Parameters', 'BootstrapVersion');
  dropKey(copy, 'Rules', 'CheckBootstrapVersion');
  dropKey(copy, 'Conditions', 'CDKMetadataAvailable');
  const resources = copy.Resources;
  if (isObject(resources)) {
    for (const [id, r] of Object.entries(resources)) {
      if (isObject(r) && r.Type === 'AWS::CDK::Metadata') delete resources[id];
      else if (isObject(r) && isObject(r.Metadata)) {
        for (const k of Object.keys(r.Metadata))
          if (k.startsWith('aws:cdk:') || k.startsWith('aws:asset:')) delete r.Metadata[k];
        if (Object.keys(r.Metadata).length === 0) delete r.Metadata;
      }
    }
  }
  SCRUBBED.add(copy);
  return copy;
}

/**
 * Jest snapshot serializer: any CloudFormation template (an object with `Resources`) is scrubbed
 * before it is printed. `expect.addSnapshotSerializer(templateSerializer)` in a test or setup file.
 */
export const templateSerializer = {
  test(value: unknown): boolean {
    return isObject(value) && isObject(value.Resources) && !SCRUBBED.has(value);
  },
  serialize(
    value: TemplateJson,
    config: unknown,
    indentation: string,
    depth: number,
    refs: unknown,
    printer: (v: unknown, c: unknown, i: string, d: number, r: unknown) => string,
  ): string {
    return printer(scrubTemplate(value), config, indentation, depth, refs);
  },
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dropKey(doc: TemplateJson, section: string, key: string): void {
  const s = doc[section];
  if (!isObject(s)) return;
  delete s[key];
  if (Object.keys(s).length === 0) delete doc[section];
}
