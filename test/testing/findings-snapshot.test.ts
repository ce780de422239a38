/**
 * batchFindings (the rules of `batchkit validate`, with construct paths) and templateSnapshot /
 * templateSerializer (asset hashes, bootstrap parameters and CDK metadata scrubbed, the rest as synthesized).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ContainerJobDefinition, JobContainer, JobImage } from '../../lib';
import { batchFindings, scrubTemplate, templateSerializer, templateSnapshot } from '../../lib/testing';
import { PlainStack } from './stacks';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-snap-'));
  mkdirSync(path.join(dir, 'image'));
  writeFileSync(path.join(dir, 'image', 'Dockerfile'), 'FROM local/busybox:test\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(
  'batchFindings: an aws-batch stack without errors has none; a bad L1 ' + 'gets the rule code and its construct path',
  () => {
    const app = new App();
    const good = new PlainStack(app, 'Plain');
    const bad = new Stack(app, 'Bad');
    new batch.CfnJobDefinition(bad, 'TooSmall', {
      type: 'container',
      jobDefinitionName: 'too-small',
      containerProperties: { image: 'local/busybox:test', vcpus: 1, memory: 2 },
      retryStrategy: { attempts: 11 },
    });
    // Both stacks exist before the first synthesis (CDK synthesizes an app once).
    expect(batchFindings(good).errors).toEqual([]);
    const findings = batchFindings(bad);
    expect(findings.errors.map((f) => f.code).sort()).toEqual(['BATCH-JD-005', 'BATCH-JD-006']);
    for (const f of findings.errors) {
      expect(f.resource.source?.constructPath).toBe('Bad/TooSmall');
      expect(f.message).toMatch(/^JobDefinition "too-small" \(Bad\/TooSmall at Bad\/TooSmall\)/);
    }
    expect(batchFindings(bad, { exclude: ['BATCH-JD-005'] }).errors.map((f) => f.code)).toEqual(['BATCH-JD-006']);
    // The app: both stacks' findings.
    expect(batchFindings(app).errors).toHaveLength(2);
  },
);

function assetStack(outdir: string, command: string): Stack {
  const stack = new Stack(new App({ outdir }), 'Assets');
  new ContainerJobDefinition(stack, 'Job', {
    jobDefinitionName: 'asset-job',
    container: JobContainer.ec2({
      image: JobImage.fromAsset(path.join(dir, 'image')),
      cpu: 1,
      memory: Size.mebibytes(64),
      command: ['echo', command],
    }),
  });
  new batch.EcsJobDefinition(stack, 'Plain', {
    container: new batch.EcsEc2ContainerDefinition(stack, 'C', {
      image: ecs.ContainerImage.fromAsset(path.join(dir, 'image'), { buildArgs: { X: command } }),
      cpu: 1,
      memory: Size.mebibytes(64),
    }),
  });
  return stack;
}

test(
  'templateSnapshot: byte-identical across output directories; hashes, ' +
    'bootstrap checks and CDK metadata scrubbed; the rest kept',
  () => {
    const a = templateSnapshot(assetStack(path.join(dir, 'a'), 'one'));
    const b = templateSnapshot(assetStack(path.join(dir, 'b'), 'one'));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const text = JSON.stringify(a);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toMatch(/BootstrapVersion|CDKMetadata|aws:cdk:path|aws:asset:/);
    expect(text).toContain('<asset-hash>');
    const jd = Object.values(
      a.Resources as Record<
        string,
        { Type: string; Properties: { JobDefinitionName?: string; ContainerProperties: { Command?: string[] } } }
      >,
    ).find((r) => r.Properties.JobDefinitionName === 'asset-job')!;
    expect(jd.Properties.ContainerProperties.Command).toEqual(['echo', 'one']);
    // A real change still shows.
    expect(JSON.stringify(templateSnapshot(assetStack(path.join(dir, 'c'), 'two')))).not.toBe(text);
  },
);

test('templateSerializer scrubs any template printed in a snapshot, once', () => {
  const raw = Template.fromStack(assetStack(path.join(dir, 'd'), 'one')).toJSON();
  expect(templateSerializer.test(raw)).toBe(true);
  const scrubbed = scrubTemplate(raw);
  expect(templateSerializer.test(scrubbed)).toBe(false);
  expect(templateSerializer.test({ notATemplate: true })).toBe(false);
  const printed = templateSerializer.serialize(raw, {}, '', 0, [], (v) => JSON.stringify(v));
  expect(printed).toBe(JSON.stringify(templateSnapshot(assetStack(path.join(dir, 'e'), 'one'))));
});
