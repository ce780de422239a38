/**
 * The crash-consistency loop (bench/crash-soak.ts) kept short for the suite: 3 seeded stop/start
 * cycles of `batchkit local serve` (SIGKILL or SIGTERM at a random moment) on the real engine, then
 * every invariant checked. `npm run soak` runs the long version.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runCrashSoak } from '../../../bench/crash-soak';
import { CLI } from '../../_helpers/cli';

test(
  '3 stops at random moments: every acknowledged job exists once and ends ' +
    'in its true state, no attempt started twice, array summaries match',
  async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'batchkit-crash-'));
    try {
      const r = await runCrashSoak({
        runs: 3,
        seed: 1206,
        cli: CLI,
        workDir,
        image: process.env.BATCHKIT_TEST_IMAGE,
        finalTimeoutMs: 150_000,
      });
      expect(r.violations).toEqual([]);
      expect(r.sigkills + r.sigterms).toBe(3);
      // Each cycle had its server long enough to acknowledge jobs, and they ran.
      expect(r.acknowledged).toBeGreaterThanOrEqual(6);
      expect(r.containersStarted).toBeGreaterThanOrEqual(r.acknowledged);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
  300_000,
);
