/**
 * The confirmation prompt of the built CLI (`dist/bin/batchkit.js`) against the local Batch API
 * running in this process: refused without a terminal and without --yes (exit 2), skipped with
 * --yes, and asked on a real terminal (util-linux `script` gives the CLI a pseudo-terminal).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI } from '../_helpers/cli';
import { batchTemplate, startLocalTarget, type LocalTarget } from '../provisioner/support';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', NO_COLOR: '1' };

/** Runs the built CLI without a terminal (stdin a closed pipe), asynchronously: the API runs in this process. */
function runPiped(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Terminal output as text: readline draws the prompt with cursor escapes; lines end with \r\n. */
const plain = (s: string) =>
  s
    .replace(new RegExp(String.raw`\x1b\[[0-9;]*[A-Za-z]`, 'g'), '')
    .replace(/\r+\n/g, '\n')
    .replace(/\r/g, '');

/**
 * Runs the built CLI on a pseudo-terminal through `script -qec`; types `answer` once the question
 * appears. Output is the terminal's (stdout and stderr together).
 */
function runOnTerminal(
  args: readonly string[],
  answer: string,
): Promise<{ code: number | null; output: string; asked: boolean }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI, ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let asked = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      if (!asked && /\[y\/N\] $/.test(plain(output))) {
        asked = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: plain(output), asked });
    });
  });
}

describe('batchkit apply / destroy confirmation', () => {
  let target: LocalTarget;
  let aws: string[];
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  });
  beforeEach(async () => {
    target = await startLocalTarget();
    const app = path.join(mkdtempSync(path.join(tmpdir(), 'bk-confirm-')), 'BatchStack.template.json');
    writeFileSync(app, JSON.stringify(batchTemplate()));
    aws = [
      '--app',
      app,
      '--region',
      'us-east-1',
      '--endpoint-url',
      target.service.server.url,
      '--poll-seconds',
      '0.01',
    ];
  });
  afterEach(async () => {
    await target.close();
  });
  const environments = async () =>
    ((await target.clients.batch.describeComputeEnvironments({})).computeEnvironments ?? []).length;

  test(
    'without a terminal and without --yes: the plan is printed, nothing ' +
      'changes, exit 2 with the fix; --yes applies',
    async () => {
      const refused = await runPiped(['apply', ...aws, '--iam-settle-seconds', '0']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/Plan: 3 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged\.\n/);
      expect(refused.stderr).toMatch(
        new RegExp(
          String.raw`batchkit: error BATCHKIT-CLI-PROVISION-005: batchkit apply h` +
            String.raw`as changes to make, but stdin is not a terminal, so it canno` +
            String.raw`t ask "Apply these changes\?"; nothing was changed\. Fix: pa` +
            String.raw`ss --yes to apply without asking \(CI, scripts\)`,
        ),
      );
      expect(refused.stdout).toBe('');
      expect(await environments()).toBe(0);

      const applied = await runPiped(['apply', ...aws, '--iam-settle-seconds', '0', '--yes']);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/Apply complete: 3 step\(s\)\.\n$/);
      expect(applied.stderr).not.toMatch(/\[y\/N\]/);
      expect(await environments()).toBe(1);

      // Nothing to change: nothing to ask, so no --yes needed.
      const empty = await runPiped(['apply', ...aws]);
      expect(empty.code).toBe(0);
      expect(empty.stdout).toBe('Apply complete: 0 step(s).\n');

      // destroy: --dry-run asks nothing; without --yes it is refused after listing what would go.
      const dry = await runPiped(['destroy', ...aws, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/Dry run: 5 step\(s\) would run; nothing was changed\.\n$/);
      const refusedDestroy = await runPiped(['destroy', ...aws]);
      expect(refusedDestroy.code).toBe(2);
      expect(refusedDestroy.stderr).toMatch(/^disable +JobQueue Queue-[0-9a-f]{12}$/m);
      expect(refusedDestroy.stderr).toMatch(/Destroy: 5 step\(s\) to run\.\n/);
      expect(refusedDestroy.stderr).toMatch(
        new RegExp(
          String.raw`BATCHKIT-CLI-PROVISION-005: batchkit destroy has changes to ` +
            String.raw`make, but stdin is not a terminal, so it cannot ask "Destroy` +
            String.raw` these resources\?"; nothing was changed\. Fix: pass --yes t` +
            String.raw`o destroy`,
        ),
      );
      expect(await environments()).toBe(1);
    },
  );

  test('on a terminal: "n" changes nothing (exit 1), "y" applies; destroy asks the same way', async () => {
    const no = await runOnTerminal(['apply', ...aws, '--iam-settle-seconds', '0'], 'n');
    expect(no.asked).toBe(true);
    expect(no.output).toMatch(/Plan: 3 to create[^\n]*\nApply these changes\? \[y\/N\] n\n/);
    expect(no.output).toMatch(/Apply cancelled: nothing was changed\.\n/);
    expect(no.code).toBe(1);
    expect(await environments()).toBe(0);

    const yes = await runOnTerminal(['apply', ...aws, '--iam-settle-seconds', '0'], 'y');
    expect(yes.asked).toBe(true);
    expect(yes.output).toMatch(/Apply these changes\? \[y\/N\] y\n/);
    expect(yes.output).toMatch(/Apply complete: 3 step\(s\)\.\n/);
    expect(yes.code).toBe(0);
    expect(await environments()).toBe(1);

    const keep = await runOnTerminal(['destroy', ...aws], 'no');
    expect(keep.output).toMatch(/Destroy: 5 step\(s\) to run\.\nDestroy these resources\? \[y\/N\] no\n/);
    expect(keep.output).toMatch(/Destroy cancelled: nothing was changed\.\n/);
    expect(keep.code).toBe(1);
    expect(await environments()).toBe(1);

    const gone = await runOnTerminal(['destroy', ...aws], 'yes');
    expect(gone.output).toMatch(/Destroy complete: 5 step\(s\)\.\n/);
    expect(gone.code).toBe(0);
    expect(await environments()).toBe(0);
  }, 120_000);
});
