import type { Rule } from './rule';

/** Rules for this resource kind (being written). */
export const JOB_DEFINITION_RULES: readonly Rule[] = [];
