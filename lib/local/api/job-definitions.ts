/**
 * Job definitions as the Batch API keeps them: each RegisterJobDefinition adds a revision (from 1,
 * per name), a revision is ACTIVE until DeregisterJobDefinition makes it INACTIVE, and a reference
 * is `name` (latest ACTIVE revision), `name:revision` or the full ARN.
 */
import type { DeploymentEnvironment } from '../../core/model/batch-model';
import { emptyBatchModel } from '../../core/model/batch-model';
import { batchArn, parseBatchArn } from '../../core/model/arn';
import type { JobDefinition, LoadedJobDefinition } from '../../core/model/job-definition';
import { validateModel } from '../../core/rules';
import type {
  DescribeJobDefinitionsRequest,
  DescribeJobDefinitionsResponse,
  RegisterJobDefinitionRequest,
  RegisterJobDefinitionResponse,
} from './api-types';
import { clientError } from './errors';
import { paginate } from './pagination';

/** The revisions of every job definition name. */
export class JobDefinitionStore {
  private readonly byName = new Map<string, JobDefinition[]>();

  /**
   * @param env account, region and partition of ARNs
   * @param loaded revisions to register at start-up
   * @param sink an array every stored revision is also pushed to (the executor's live list)
   */
  constructor(
    private readonly env: DeploymentEnvironment,
    loaded: readonly LoadedJobDefinition[] = [],
    private readonly sink: JobDefinition[] = [],
  ) {
    for (const jd of loaded) this.add(withoutSource(jd), jd.revision);
  }

  /** RegisterJobDefinition: validates with the core rules and adds the next revision. */
  register(request: RegisterJobDefinitionRequest): RegisterJobDefinitionResponse {
    const candidate: JobDefinition = { ...request };
    const errors = validateModel({ ...emptyBatchModel(this.env), jobDefinitions: [candidate] }).filter(
      (f) => f.severity === 'error' && f.resource.kind === 'JobDefinition',
    );
    if (errors.length > 0) {
      throw clientError(`RegisterJobDefinition: ${errors.map((f) => f.message).join(' ')}`);
    }
    const jd = this.add(candidate, undefined);
    return {
      jobDefinitionName: jd.jobDefinitionName,
      jobDefinitionArn: jd.jobDefinitionArn ?? '',
      revision: jd.revision ?? 1,
    };
  }

  /** The revision a SubmitJob `jobDefinition` names, or undefined. */
  resolve(ref: string): JobDefinition | undefined {
    const parsed = this.parseRef(ref);
    if (!parsed) return undefined;
    const revisions = this.byName.get(parsed.name) ?? [];
    if (parsed.revision === undefined) {
      return [...revisions].reverse().find((r) => r.status === 'ACTIVE');
    }
    return revisions.find((r) => r.revision === parsed.revision);
  }

  /** DescribeJobDefinitions. */
  describe(request: DescribeJobDefinitionsRequest): DescribeJobDefinitionsResponse {
    if ((request.jobDefinitions?.length ?? 0) > 100) {
      throw clientError(
        `jobDefinitions has ${request.jobDefinitions?.length} entries; ` +
          `DescribeJobDefinitions accepts up to 100. Fix: ask in batches of 100.`,
      );
    }
    let all = [...this.byName.values()].flat();
    if (request.jobDefinitions && request.jobDefinitions.length > 0) {
      const wanted = request.jobDefinitions.map((r) => this.parseRef(r));
      all = all.filter((jd) =>
        wanted.some(
          (w) => w && w.name === jd.jobDefinitionName && (w.revision === undefined || w.revision === jd.revision),
        ),
      );
    }
    if (request.jobDefinitionName !== undefined)
      all = all.filter((jd) => jd.jobDefinitionName === request.jobDefinitionName);
    if (request.status !== undefined) all = all.filter((jd) => jd.status === request.status);
    const { maxResults, nextToken, ...query } = request;
    const page = paginate(all, (jd) => [jd.jobDefinitionName, jd.revision ?? 0], {
      operation: 'DescribeJobDefinitions',
      query,
      maxResults,
      nextToken,
      limit: 100,
    });
    return { jobDefinitions: page.items.map((jd) => structuredClone(jd)), nextToken: page.nextToken };
  }

  /** DeregisterJobDefinition: `name:revision` or ARN becomes INACTIVE. */
  deregister(ref: string): void {
    const parsed = this.parseRef(ref);
    if (!parsed || parsed.revision === undefined) {
      throw clientError(
        `jobDefinition ${JSON.stringify(ref)} does not name a revision. ` +
          `DeregisterJobDefinition takes name:revision or the full ARN (arn:` +
          `${this.env.partition}:batch:${this.env.region}:` +
          `${this.env.account}:job-definition/name:revision). Fix: add the ` +
          `revision, e.g. ${JSON.stringify(`${parsed?.name ?? ref}:1`)}.`,
      );
    }
    const jd = this.resolve(ref);
    if (!jd) {
      throw clientError(`Job definition ${ref} does not exist. Fix: list the revisions with DescribeJobDefinitions.`);
    }
    jd.status = 'INACTIVE';
  }

  /** The job definition an ARN names (for tags), or undefined. */
  byArn(arn: string): JobDefinition | undefined {
    return parseBatchArn(arn)?.resource === 'job-definition' ? this.resolve(arn) : undefined;
  }

  /** Records the revisions now; the returned function restores them in place (see `ResourceRegistry.transaction`). */
  checkpoint(): () => void {
    const names = [...this.byName.entries()].map(([name, revisions]): [string, JobDefinition[]] => [
      name,
      [...revisions],
    ]);
    const fields = this.all().map((jd) => [jd, { ...jd }] as const);
    return () => {
      this.byName.clear();
      for (const [name, revisions] of names) this.byName.set(name, revisions);
      for (const [jd, f] of fields) {
        for (const k of Object.keys(jd)) if (!(k in f)) delete (jd as unknown as Record<string, unknown>)[k];
        Object.assign(jd, f);
      }
    };
  }

  /** Every revision (for the executor). */
  all(): JobDefinition[] {
    return [...this.byName.values()].flat();
  }

  private add(jd: JobDefinition, revision: number | undefined): JobDefinition {
    const revisions = this.byName.get(jd.jobDefinitionName) ?? [];
    const rev = revision ?? revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
    const stored: JobDefinition = {
      ...structuredClone(jd),
      jobDefinitionArn: batchArn(this.env, 'job-definition', `${jd.jobDefinitionName}:${rev}`),
      revision: rev,
      status: jd.status ?? 'ACTIVE',
      containerOrchestrationType: jd.containerOrchestrationType ?? (jd.eksProperties ? 'EKS' : 'ECS'),
    };
    stored.tags = jd.tags ?? {};
    stored.parameters = jd.parameters ?? {};
    // platformCapabilities is returned only when registered, as AWS does (absent means EC2).
    revisions.push(stored);
    this.sink.push(stored);
    revisions.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    this.byName.set(jd.jobDefinitionName, revisions);
    return stored;
  }

  private parseRef(ref: string): { name: string; revision?: number } | undefined {
    let rest = ref;
    if (ref.startsWith('arn:')) {
      const arn = parseBatchArn(ref);
      if (!arn || arn.resource !== 'job-definition') return undefined;
      rest = arn.name;
    }
    const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
    if (!m) return undefined;
    return { name: m[1], revision: m[2] === undefined ? undefined : Number(m[2]) };
  }
}

function withoutSource(jd: LoadedJobDefinition): JobDefinition {
  const { source: _source, ...rest } = jd;
  return rest;
}
