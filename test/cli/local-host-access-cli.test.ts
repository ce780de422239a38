/**
 * Host access through `batchkit local run` on the real Docker engine: a host volume outside the
 * allowed paths exits 2 before anything starts (no store is even created), `--allow-host-path`
 * allows it, a missing host path inside the allowed set is created as Docker does for ECS host
 * volumes, and a privileged definition is warned about on stderr once.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { cliJobDefinition, cliTemplate, runCli } from '../_helpers/cli';

let dir: string;
const READ_ONLY = '/usr/share';

function withVolume(sourcePath: string, containerPath: string, readOnly = false): Record<string, unknown> {
  return {
    Volumes: [{ Name: 'v', Host: { SourcePath: sourcePath } }],
    MountPoints: [{ SourceVolume: 'v', ContainerPath: containerPath, ReadOnly: readOnly }],
  };
}

function def(name: string, command: string[], container: Record<string, unknown>): Record<string, unknown> {
  const d = cliJobDefinition(name, command) as { Properties: { ContainerProperties: Record<string, unknown> } };
  Object.assign(d.Properties.ContainerProperties, container);
  return d;
}

beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'batchkit-cli-host-')));
  const template = cliTemplate({
    Usr: def('usr', ['ls', '/host/doc'], withVolume(READ_ONLY, '/host', true)),
    Writer: def(
      'writer',
      ['sh', '-c', 'echo written > /out/result.txt'],
      withVolume(path.join(dir, 'missing', 'out'), '/out'),
    ),
    Priv: def('priv', ['true'], { Privileged: true }),
  });
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function local(args: string[]) {
  return runCli(['local', 'run', '--app', 'template.json', '--store', path.join(dir, '.batchkit'), ...args], {
    cwd: dir,
  });
}

test('a host path outside the project and temporary directories exits 2 before anything starts', () => {
  const r = local(['--job-queue', 'q', '--job-definition', 'usr']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `batchkit: error BATCHKIT-LOCAL-601: job definition "usr" (revision 1) ` +
      `containerProperties.volumes[0] ("v") mounts host path ${READ_ONLY}, ` +
      `outside the host paths job containers may use: ${dir} (project directory)`,
  );
  expect(r.stderr).toContain(`--allow-host-path ${READ_ONLY}`);
  expect(existsSync(path.join(dir, '.batchkit'))).toBe(false);
});

test('--allow-host-path lets the job mount it', () => {
  const r = local(['--job-queue', 'q', '--job-definition', 'usr', '--allow-host-path', READ_ONLY]);
  expect(r.stderr).not.toContain('BATCHKIT-LOCAL-601');
  expect(r.code).toBe(0);
});

test('a missing host path inside the allowed set is created before the container starts', () => {
  expect(existsSync(path.join(dir, 'missing'))).toBe(false);
  const r = local(['--job-queue', 'q', '--job-definition', 'writer']);
  expect([r.code, r.stderr.includes('bind source path does not exist')]).toEqual([0, false]);
  expect(readFileSync(path.join(dir, 'missing', 'out', 'result.txt'), 'utf8')).toBe('written\n');
});

test('a privileged definition is accepted with one warning on stderr for its two jobs', () => {
  const r = local(['--file', writeJobs()]);
  // Accepted (not exit 2); whether the engine can then start a privileged container depends on the host.
  expect(r.stderr).not.toContain('BATCHKIT-');
  expect(r.stderr.match(/submitted p\d/g)).toEqual(['submitted p1', 'submitted p2']);
  const warnings = r.stderr.split('\n').filter((l) => l.includes('privileged is true'));
  expect(warnings).toEqual([
    'warning: job definition "priv" (revision 1) ' +
      'containerProperties.privileged is true: its containers run with every ' +
      'capability and all host devices of this machine.',
  ]);
});

function writeJobs(): string {
  const file = path.join(dir, 'jobs.json');
  writeFileSync(
    file,
    JSON.stringify({
      jobs: [
        { name: 'p1', queue: 'q', jobDefinition: 'priv' },
        { name: 'p2', queue: 'q', jobDefinition: 'priv' },
      ],
    }),
  );
  return file;
}
