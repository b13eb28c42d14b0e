export { denseIdentity } from './dense-identity.js';
export type { DenseIdentityOptions, IdentityActivation } from './options.js';
