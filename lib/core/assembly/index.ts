/**
 * The cloud-assembly / CloudFormation template loader: `cdk.out` or a template → {@link BatchModel}.
 */
export { loadBatchModel, type LoadOptions } from './load';
export { ASSEMBLY_ERRORS } from './errors';
export { generatedName, generatedId } from './physical-ids';
export { readResources, type ReadResourcesOptions, type ResourceReference, type TemplateResource } from './resources';
export { LOADER_LIMITS } from './limits';
export { describeJsonError } from './parse';
export { loadAppModel, type LoadAppOptions } from './app-resources';
