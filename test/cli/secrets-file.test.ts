/** `--secrets file.json`: Kubernetes secrets for EKS `secret` volumes, one entry per key. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadSecrets } from '../../lib/cli/local/session';

function file(doc: unknown): string {
  const f = join(mkdtempSync(join(tmpdir(), 'batchkit-secrets-file-')), 'secrets.json');
  writeFileSync(f, JSON.stringify(doc));
  return f;
}

test('a Kubernetes secret is an object of keys, each a value or read from the environment', () => {
  const f = file({
    'arn:aws:secretsmanager:us-east-1:1:secret:a': 'v',
    'eks-secret/db': { user: 'app', password: { env: 'BK_DB_PASSWORD' } },
  });
  expect(loadSecrets(f, { BK_DB_PASSWORD: 'pa55' })).toEqual({
    'arn:aws:secretsmanager:us-east-1:1:secret:a': 'v',
    'eks-secret/db/user': 'app',
    'eks-secret/db/password': 'pa55',
  });
});

test('a Kubernetes secret that is not an object of keys, or a key that is no Kubernetes key, is refused', () => {
  expect(() => loadSecrets(file({ 'eks-secret/db': 'x' }), {})).toThrow(/expected an object of keys/);
  expect(() => loadSecrets(file({ 'eks-secret/db': { '../x': 'y' } }), {})).toThrow(
    /key "\.\.\/x" is not a Kubernetes key name/,
  );
  expect(() => loadSecrets(file({ 'eks-secret/db': { k: { env: 'BK_UNSET_VARIABLE' } } }), {})).toThrow(
    /"eks-secret\/db\.k" reads the environment variable BK_UNSET_VARIABLE, which is not set/,
  );
});
