/**
 * Shared bits of the Docker runtime tests: the test image, a spec builder and a per-file run id
 * whose containers are reaped after the file.
 */
import { randomUUID } from 'crypto';
import type { ContainerSpec } from '../../../lib/local/runtime/container-runtime';

/** The busybox test image made by scripts/dev-setup.sh. */
export const TEST_IMAGE = process.env.BATCHKIT_TEST_IMAGE ?? 'local/busybox:test';

/** A run id unique to one test file. */
export function testRunId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A small container spec running `command` on the test image. */
export function spec(runId: string, command: string[], extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    runId,
    jobId: randomUUID(),
    attempt: 1,
    image: TEST_IMAGE,
    command,
    environment: {},
    vcpus: 1,
    memoryMiB: 64,
    ...extra,
  };
}
