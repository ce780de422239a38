/**
 * `batchkit validate` through the built CLI: exit codes, grouped output, JSON output, and that it
 * works on templates written by aws-cdk-lib/aws-batch alone.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PlainAwsBatchStack } from '../../examples/plain-aws-batch/stack';
import { REPO_ROOT, runCli } from '../_helpers/cli';

const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'templates');

interface JsonReport {
  errors: number;
  warnings: number;
  resources: { jobDefinitions: number; jobQueues: number; computeEnvironments: number };
  findings: Array<{ code: string; severity: string; message: string; field?: string; resource: { name: string } }>;
}

describe('batchkit validate', () => {
  test('a valid template: exit 0 and a summary line', () => {
    const r = runCli(['validate', path.join(fixtures, 'valid.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        String.raw`1 job definition\(s\), 1 job queue\(s\), 1 compute environme` +
          String.raw`nt\(s\), 0 scheduling policies: 0 error\(s\)`,
      ),
    );
  });

  test('an invalid template: exit 1, findings grouped by resource with codes and fixes', () => {
    const r = runCli(['validate', path.join(fixtures, 'invalid.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^JobDefinition "fixture-job" \(.*\bJob\)$/m);
    expect(r.stdout).toMatch(/ERROR\s+BATCH-JD-\d{3}\s+.*memory.*"?2"?/i);
    expect(r.stdout).toMatch(/ERROR\s+BATCH-JD-\d{3}\s+.*attempts.*11/i);
    expect(r.stdout).toMatch(/ERROR\s+BATCH-JD-\d{3}\s+.*AWS_BATCH_MINE/);
    expect(r.stdout).toMatch(/RUNNABLE forever/);
  });

  test('--json: machine-readable findings with code, severity, field and resource', () => {
    const r = runCli(['validate', path.join(fixtures, 'invalid.json'), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.resources).toEqual({
      jobDefinitions: 2,
      jobQueues: 1,
      computeEnvironments: 1,
      schedulingPolicies: 0,
    });
    expect(report.errors).toBeGreaterThanOrEqual(4);
    const attempts = report.findings.find((f) => /attempts/.test(f.field ?? ''));
    expect(attempts).toMatchObject({ severity: 'error', resource: { name: 'fixture-job' } });
    expect(attempts?.message).toMatch(/1.*10/);
    const big = report.findings.find((f) => f.resource.name === 'fixture-big' && f.severity === 'error');
    expect(big?.message).toMatch(/fixture-queue/);
  });

  test('unreadable input: exit 2 naming the file and the reason', () => {
    const truncated = runCli(['validate', path.join(fixtures, 'truncated.json')]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/truncated\.json/);
    expect(truncated.stderr).toMatch(/BATCHKIT-ASSEMBLY-\d{3}/);

    const missing = runCli(['validate', path.join(fixtures, 'does-not-exist')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does-not-exist/);

    const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-empty-'));
    const noManifest = runCli(['validate', emptyDir]);
    expect(noManifest.code).toBe(2);
    expect(noManifest.stderr).toMatch(/manifest\.json/);
  });

  test('a bad flag: exit 2', () => {
    const r = runCli(['validate', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  test('works on a cloud assembly written by aws-cdk-lib/aws-batch alone', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-plain-'));
    const app = new App({ outdir });
    new PlainAwsBatchStack(app, 'Plain');
    app.synth();
    const r = runCli(['validate', outdir, '--json']);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.resources).toEqual({
      jobDefinitions: 1,
      jobQueues: 1,
      computeEnvironments: 1,
      schedulingPolicies: 0,
    });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);

    // The same app with a defect aws-cdk-lib lets through: plain (non-MIME) launch template user data is
    // caught when the template is written by hand, see the invalid fixture; here, a memory of 2 MiB.
    const tpl = path.join(outdir, 'Plain.template.json');
    const broken = JSON.parse(readFileSync(tpl, 'utf8')) as {
      Resources: Record<
        string,
        {
          Type: string;
          Properties: { ContainerProperties?: { ResourceRequirements?: Array<{ Type: string; Value: string }> } };
        }
      >;
    };
    for (const res of Object.values(broken.Resources)) {
      const reqs = res.Properties?.ContainerProperties?.ResourceRequirements;
      reqs?.forEach((rr) => {
        if (rr.Type === 'MEMORY') rr.Value = '2';
      });
    }
    const brokenFile = path.join(outdir, 'broken.json');
    writeFileSync(brokenFile, JSON.stringify(broken));
    const r2 = runCli(['validate', brokenFile]);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toMatch(/MEMORY|memory/);
  });
});
