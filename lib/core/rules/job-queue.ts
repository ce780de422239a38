import type { Rule } from './rule';

/** Rules for this resource kind (being written). */
export const JOB_QUEUE_RULES: readonly Rule[] = [];
