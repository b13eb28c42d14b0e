export { residual, MAX_DEFAULT_HIDDEN } from './residual.js';
export { ACTIVATIONS } from './options.js';
export type { ResidualOptions, BranchActivation } from './options.js';
