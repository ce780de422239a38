/**
 * Shared harness of the example tests: synthesize one example stack once into a temporary
 * assembly, then read its template (scrubbed for snapshots), its cdk-nag report and its
 * batchkit validation.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadBatchModel, validateModel, type BatchModel, type Finding } from '../../lib/core';
import { addBatchkitNag, awsSolutionsViolations, batchkitNagErrors } from '../constructs/nag/aws-solutions';

/** A synthesized example. */
export interface SynthesizedExample<S extends Stack> {
  /** The stack object. */
  readonly stack: S;
  /** Its template. */
  readonly template: Template;
  /** The assembly directory. */
  readonly outdir: string;
  /** The assembly loaded by batchkit's core loader. */
  readonly model: BatchModel;
  /** batchkit's rules over the loaded model. */
  readonly findings: Finding[];
  /** AwsSolutions errors left after acknowledgements. */
  readonly nagErrors: string[];
  /** AwsSolutions warnings left after acknowledgements. */
  readonly nagWarnings: string[];
  /** batchkit nag errors. */
  readonly batchkitNagErrors: string[];
  /** Removes the assembly directory. */
  cleanup(): void;
}

/** Synthesizes `make(app)` (with batchkit's nag pack on) into a fresh temporary assembly. */
export function synthExample<S extends Stack>(make: (app: App) => S): SynthesizedExample<S> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-example-'));
  const app = new App({ outdir });
  const stack = make(app);
  addBatchkitNag(stack);
  app.synth();
  const template = Template.fromStack(stack);
  const model = loadBatchModel(outdir);
  return {
    stack,
    template,
    outdir,
    model,
    findings: validateModel(model),
    nagErrors: awsSolutionsViolations(stack, 'error'),
    nagWarnings: awsSolutionsViolations(stack, 'warning'),
    batchkitNagErrors: batchkitNagErrors(stack),
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Errors among findings, as messages (empty when the example is valid). */
export function errorsOf(findings: Finding[]): string[] {
  return findings.filter((f) => f.severity === 'error').map((f) => f.message);
}

/**
 * The template with volatile values replaced: asset hashes (64 hex digits) and the 8-hex content
 * hash batchkit appends to compute environment names of launch-template environments.
 */
export function scrubbedTemplate(template: Template): unknown {
  const text = JSON.stringify(template.toJSON())
    .replace(/[0-9a-f]{64}/g, '<asset-hash>')
    .replace(/("ComputeEnvironmentName":"[^"]*-)[0-9a-f]{8}"/g, '$1<content-hash>"');
  return JSON.parse(text);
}

/** Resources of one type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

/**
 * The checks every example passes: batchkit validate reports no error on its assembly, cdk-nag's
 * AwsSolutions pack and batchkit's pack leave nothing unacknowledged, and the scrubbed template
 * matches its snapshot (the specific assertions of each example say what matters in it).
 */
export function itPassesTheCommonChecks<S extends Stack>(get: () => SynthesizedExample<S>): void {
  test('batchkit validate: the loaded assembly has Batch resources and no error finding', () => {
    const ex = get();
    expect(ex.model.jobDefinitions.length + ex.model.computeEnvironments.length).toBeGreaterThan(0);
    expect(errorsOf(ex.findings)).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged error or warning; batchkit nag: no error', () => {
    const ex = get();
    expect(ex.nagErrors).toEqual([]);
    expect(ex.nagWarnings).toEqual([]);
    expect(ex.batchkitNagErrors).toEqual([]);
  });

  test('template snapshot (asset and content hashes scrubbed)', () => {
    expect(scrubbedTemplate(get().template)).toMatchSnapshot();
  });
}
