import type { Rule } from './rule';

/** Rules for this resource kind (being written). */
export const COMPUTE_ENVIRONMENT_RULES: readonly Rule[] = [];
