/**
 * Document members nested thousands of levels deep are refused at the edge with a ClientException
 * naming the member, and a change of resources is applied only with the registry file that records
 * it: a failed write leaves memory as it was, and later changes still work and survive a restart.
 */
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBatchService, type LocalBatchService } from '../../../lib/local/api';
import { REGISTRY_FILE } from '../../../lib/local/api/registry-file';
import { ManualClock } from '../../../lib/local/clock';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { sampleModel } from './support';

const start = (dir: string): Promise<LocalBatchService> => {
  const clock = new ManualClock(Date.now());
  return startLocalBatchService({
    model: sampleModel(),
    runtime: new FakeRuntime(clock),
    storeDir: dir,
    settleMs: 0,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
};

/** POSTs a raw JSON body to an operation; returns the status, error type and body. */
async function post(
  service: LocalBatchService,
  operation: string,
  body: string,
): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const res = await fetch(`${service.server.url}/v1/${operation.toLowerCase()}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

/** `{"deep": [[[ ... {} ... ]]]}` nested `levels` levels in all. */
const nested = (levels: number): string => `{"deep":${'['.repeat(levels - 2)}{}${']'.repeat(levels - 2)}}`;

const definition = (name: string, extra = ''): string =>
  `{"jobDefinitionName":"` +
  `${name}","type":"container","containerProperties":{"image":"local/busybox:test","command":["true"],` +
  `"resourceRequirements":[{"type":"VCPU","value":"1"},{"type":"MEMORY","value":"128"}]}${extra}}`;

/** An EKS definition (a valid pod, so the rules pass) whose eksProperties is nested `levels` levels in all. */
const podDefinition = (name: string, levels: number): string =>
  `{"jobDefinitionName":"` +
  `${name}","type":"container","eksProperties":{"podProperties":{"containers":[{"image":"busybox"}]},"deep":` +
  `${'['.repeat(levels - 2)}{}${']'.repeat(levels - 2)}}}`;

test(
  'RegisterJobDefinition with a document nested 3,000 levels is a ' +
    'ClientException; registrations still work afterwards and survive a restart',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-nested-'));
    const a = await start(dir);
    try {
      const deep = await post(a, 'RegisterJobDefinition', definition('deep', `,"eksProperties":${nested(3000)}`));
      expect(deep.status).toBe(400);
      expect(deep.type).toBe('ClientException');
      expect(deep.json.message).toMatch(
        new RegExp(
          String.raw`^Member eksProperties is nested more than 64 levels deep \(a` +
            String.raw`t eksProperties\.deep\[0\]\[0\]\[0\]\.\.\.\[0\]\[0\]\[0\]\)\.` +
            String.raw` Allowed: at most 64 levels`,
        ),
      );
      // 64 levels are accepted.
      expect((await post(a, 'RegisterJobDefinition', podDefinition('edge', 64))).status).toBe(200);
      expect((await post(a, 'RegisterJobDefinition', podDefinition('edge', 65))).status).toBe(400);

      const later = await post(a, 'RegisterJobDefinition', definition('later'));
      expect(later).toMatchObject({ status: 200, json: { jobDefinitionName: 'later', revision: 1 } });
      expect((await post(a, 'DescribeJobDefinitions', '{}')).status).toBe(200);
      const submit = await post(
        a,
        'SubmitJob',
        `{"jobName":"j","jobQueue":"main-queue","jobDefinition":"hello","eksPropertiesOverride":` + `${nested(5000)}}`,
      );
      expect(submit.status).toBe(400);
      expect(submit.json.message).toMatch(/^Member eksPropertiesOverride is nested more than 64 levels deep/);
    } finally {
      await a.close();
    }
    const b = await start(dir);
    try {
      const d = await post(b, 'DescribeJobDefinitions', '{"status":"ACTIVE"}');
      const names = (d.json.jobDefinitions as Array<{ jobDefinitionName: string; revision: number }>)
        .map((x) => `${x.jobDefinitionName}:${x.revision}`)
        .sort();
      expect(names).toEqual(['edge:1', 'hello:1', 'later:1']);
    } finally {
      await b.close();
    }
  },
);

test(
  'a registry file that cannot be written: the change fails with a ' + 'ServerException and memory stays as it was',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-registry-write-'));
    const a = await start(dir);
    const blocker = join(dir, `${REGISTRY_FILE}.tmp`);
    try {
      expect((await post(a, 'RegisterJobDefinition', definition('def'))).json).toMatchObject({ revision: 1 });
      mkdirSync(blocker); // writing the file's temporary copy now fails (EISDIR)
      const failed = await post(a, 'RegisterJobDefinition', definition('def'));
      expect(failed.status).toBe(500);
      expect(failed.type).toBe('ServerException');
      const queue = await post(a, 'UpdateJobQueue', '{"jobQueue":"main-queue","state":"DISABLED","priority":99}');
      expect(queue.status).toBe(500);
      const tag = await post(a, 'CreateSchedulingPolicy', '{"name":"sp","fairsharePolicy":{}}');
      expect(tag.status).toBe(500);
      // Nothing of the three changes is visible.
      const defs = await post(a, 'DescribeJobDefinitions', '{"jobDefinitionName":"def"}');
      expect((defs.json.jobDefinitions as Array<{ revision: number }>).map((x) => x.revision)).toEqual([1]);
      const queues = await post(a, 'DescribeJobQueues', '{"jobQueues":["main-queue"]}');
      expect(queues.json.jobQueues).toMatchObject([{ state: 'ENABLED', priority: 10, status: 'VALID' }]);
      expect((await post(a, 'ListSchedulingPolicies', '{}')).json.schedulingPolicies).toEqual([]);
      // The executor's copy of the queue did not change either: jobs are still accepted.
      expect(
        (await post(a, 'SubmitJob', '{"jobName":"j","jobQueue":"main-queue","jobDefinition":"hello"}')).status,
      ).toBe(200);

      rmdirSync(blocker);
      expect((await post(a, 'RegisterJobDefinition', definition('def'))).json).toMatchObject({ revision: 2 });
    } finally {
      await a.close();
    }
    const b = await start(dir);
    try {
      const defs = await post(b, 'DescribeJobDefinitions', '{"jobDefinitionName":"def"}');
      expect((defs.json.jobDefinitions as Array<{ revision: number }>).map((x) => x.revision)).toEqual([1, 2]);
    } finally {
      await b.close();
    }
  },
);
