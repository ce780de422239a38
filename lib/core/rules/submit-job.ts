import type { SubmitJobRequest } from '../model/job';
import type { Finding } from './finding';

/** Checks a SubmitJob request on its own (being written). */
export function validateSubmitJob(_request: SubmitJobRequest): Finding[] {
  return [];
}
