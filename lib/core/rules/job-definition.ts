/**
 * Job definition rules, `BATCH-JD-001`... Each rule checks one concern of every job definition in
 * the model (and every container of a multi-node one); the rules live in files by subject.
 */
import type { Rule } from './rule';
import { BASIC_RULES } from './job-definition-basic';
import { CONTAINER_RULES } from './job-definition-container';
import { EFS_RULES } from './job-definition-efs';
import { FARGATE_RULES } from './job-definition-fargate';
import { MULTINODE_RULES } from './job-definition-multinode';
import { POD_RULES } from './job-definition-pods';
import { RETRY_RULES } from './job-definition-retry';

/** Every job definition rule, in code order. */
export const JOB_DEFINITION_RULES: readonly Rule[] = [
  ...BASIC_RULES,
  ...CONTAINER_RULES,
  ...EFS_RULES,
  ...MULTINODE_RULES,
  ...RETRY_RULES,
  ...FARGATE_RULES,
  ...POD_RULES,
].sort((a, b) => a.code.localeCompare(b.code));
