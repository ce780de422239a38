import type { Rule } from './rule';

/** Rules for this resource kind (being written). */
export const CROSS_RESOURCE_RULES: readonly Rule[] = [];
