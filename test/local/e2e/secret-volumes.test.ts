/**
 * EKS `secret` volumes on the real engine: the Kubernetes secret given to batchkit is a directory of read-only
 * files in the pod's containers, and nothing of it is left on the host when the job ends.
 */
import { readdirSync } from 'fs';
import { tmpdir } from 'os';
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { ce, dockerHarness, IMAGE, messages, queue, type DockerHarness } from './support';

let h: DockerHarness;

const reader: LoadedJobDefinition = {
  jobDefinitionName: 'reader',
  type: 'container',
  revision: 1,
  eksProperties: {
    podProperties: {
      containers: [
        {
          name: 'app',
          image: IMAGE,
          command: ['sh', '-c'],
          // Lists the keys, prints one, and proves the mount is read-only.
          args: ['ls /etc/creds; cat /etc/creds/password; echo; touch /etc/creds/x 2>/dev/null || echo read-only'],
          resources: { limits: { cpu: '250m', memory: '64Mi' } },
          volumeMounts: [{ name: 'creds', mountPath: '/etc/creds' }],
        },
      ],
      volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
    },
  },
};

beforeAll(async () => {
  const model = {
    ...emptyBatchModel(),
    computeEnvironments: [ce('ce1', 2)],
    jobQueues: [queue('q', ['ce1'])],
    jobDefinitions: [reader],
  };
  h = await dockerHarness(model, { secrets: { 'eks-secret/db/password': 'pa55', 'eks-secret/db/user': 'app' } });
});

afterAll(async () => {
  await h.close();
});

test('the secret is a read-only directory of its keys in the container, removed afterwards', async () => {
  const d = await h.run({ jobName: 'read', jobDefinition: 'reader' });
  expect(d.status).toBe('SUCCEEDED');
  expect(messages(h.executor, d.jobId)).toEqual(['password', 'user', 'pa55', 'read-only']);
  const root = readdirSync(tmpdir()).filter((f) => f.startsWith('batchkit-secret-volumes-'));
  for (const r of root) {
    expect(readdirSync(`${tmpdir()}/${r}`).filter((f) => f.startsWith(d.jobId))).toEqual([]);
  }
}, 60_000);
