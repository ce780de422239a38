/**
 * `batchkit validate` (the built CLI, spawned) over hostile and degenerate inputs: the hand-written
 * ones of test/fixtures/adversarial and the larger ones generate.ts writes. Every run ends with
 * exit 0, 1 or 2 (here: 2 and the expected coded error), in under 10 s and under 1 GB of memory,
 * and prints nothing of a refused file's content.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { writeAdversarialCases, SECRET_CONTENT, type AdversarialCase } from '../fixtures/adversarial/generate';
import { CLI, REPO_ROOT } from '../_helpers/cli';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'adversarial');
const STATIC_CASES: AdversarialCase[] = [
  { name: 'a YAML alias bomb', path: path.join(FIXTURES, 'alias-bomb.yaml'), code: 'BATCHKIT-ASSEMBLY-003' },
  {
    name: 'a YAML alias without anchor',
    path: path.join(FIXTURES, 'undefined-alias.yaml'),
    code: 'BATCHKIT-ASSEMBLY-003',
  },
  {
    name: 'a nested stack that includes itself',
    path: path.join(FIXTURES, 'self-nested.yaml'),
    code: 'BATCHKIT-ASSEMBLY-006',
  },
  {
    name: 'two nested stacks that include each other',
    path: path.join(FIXTURES, 'mutual-a.yaml'),
    code: 'BATCHKIT-ASSEMBLY-006',
  },
  {
    name: 'names built from names of names (2^40 characters)',
    path: path.join(FIXTURES, 'names-doubling.yaml'),
    code: 'BATCHKIT-ASSEMBLY-009',
  },
  { name: 'truncated JSON', path: path.join(FIXTURES, 'truncated.json'), code: 'BATCHKIT-ASSEMBLY-003' },
  { name: 'a YAML scalar', path: path.join(FIXTURES, 'scalar.yaml'), code: 'BATCHKIT-ASSEMBLY-003' },
  {
    name: 'resources whose names refer to each other',
    path: path.join(FIXTURES, 'ref-cycle.yaml'),
    code: 'BATCHKIT-ASSEMBLY-006',
  },
  {
    name: 'a nested cloud assembly with directoryName "."',
    path: path.join(FIXTURES, 'assembly-dot'),
    code: 'BATCHKIT-ASSEMBLY-006',
  },
  {
    name: 'a templateFile outside the cloud assembly',
    path: path.join(FIXTURES, 'assembly-outside'),
    code: 'BATCHKIT-ASSEMBLY-010',
  },
];

const TIME = '/usr/bin/time';
const MAX_MS = 10_000;
const MAX_RSS_KB = 1024 * 1024;

// Written when the file is collected, so that each generated input is a test of its own.
const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-adversarial-'));
const generated: AdversarialCase[] = writeAdversarialCases(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `batchkit validate <input>` with a 1 GB V8 heap. With GNU time present, its peak resident
 * set size is measured too; without it, a heap beyond 1 GB ends the process (exit 134), which fails
 * the exit code assertion.
 */
function validate(input: string): {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  maxRssKb?: number;
} {
  const node = [process.execPath, '--max-old-space-size=1024', CLI, 'validate', input];
  const useTime = existsSync(TIME);
  const started = Date.now();
  const r = spawnSync(useTime ? TIME : node[0], useTime ? ['-f', 'maxrss=%M', ...node] : node.slice(1), {
    cwd: dir,
    encoding: 'utf8',
    timeout: MAX_MS * 3,
    killSignal: 'SIGKILL',
  });
  const ms = Date.now() - started;
  let stderr = r.stderr;
  let maxRssKb: number | undefined;
  const m = /maxrss=(\d+)\s*$/.exec(stderr);
  if (useTime && m) {
    maxRssKb = Number(m[1]);
    stderr = stderr.slice(0, m.index);
  }
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr, ms, maxRssKb };
}

function check(c: AdversarialCase): void {
  const r = validate(c.path);
  expect(r.signal).toBeNull();
  expect([0, 1, 2]).toContain(r.code);
  expect(r.stderr).not.toMatch(/internal error/);
  if (c.code) {
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error ${c.code}:`);
  }
  expect(r.ms).toBeLessThan(MAX_MS);
  if (r.maxRssKb !== undefined) expect(r.maxRssKb).toBeLessThan(MAX_RSS_KB);
  expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET_CONTENT.slice(0, 12));
}

describe('batchkit validate on hostile inputs: exit 0/1/2, < 10 s, < 1 GB, no file content', () => {
  test.each(STATIC_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c));

  test('the generator writes every generated input', () => {
    expect(generated).toHaveLength(15);
  });

  test.each(generated.map((c) => [c.name, c] as const))('generated: %s', (_name, c) => check(c));
});
