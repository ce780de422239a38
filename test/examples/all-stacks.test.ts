/**
 * Every example in one cloud assembly, synthesized by the app of `cdk.json` (`bin/app.ts`) and
 * validated at once: the way `npx cdk synth && batchkit validate cdk.out` checks them. A job
 * definition is checked only against the queues of its own stack, so validating all stacks together
 * says what validating each says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel, validateModel, type Finding } from '../../lib/core';

let outdir: string;
let stacks: string[];

beforeAll(async () => {
  outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-all-examples-'));
  process.env.CDK_OUTDIR = outdir;
  try {
    await import('../../bin/app');
  } finally {
    delete process.env.CDK_OUTDIR;
  }
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string }>;
  };
  stacks = Object.entries(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id]) => id);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const messages = (findings: Finding[]): string[] => findings.map((f) => `${f.severity} ${f.message}`).sort();

describe('all examples in one assembly', () => {
  test('validating every stack at once: no error, and no GPU warning about the queues of other stacks', () => {
    const model = loadBatchModel(outdir);
    expect(stacks).toHaveLength(10);
    expect(model.jobQueues.length).toBe(17);
    const findings = validateModel(model);
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([]);
    expect(findings.filter((f) => f.code === 'BATCH-X-004').map((f) => f.message)).toEqual([]);
  });

  test('validating every stack at once finds what validating each stack alone finds', () => {
    const together = validateModel(loadBatchModel(outdir));
    const alone = stacks.flatMap((stack) => validateModel(loadBatchModel(outdir, { stacks: [stack] })));
    expect(messages(together)).toEqual(messages(alone));
  });
});
