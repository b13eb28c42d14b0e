export { convIdentity } from './conv-identity.js';
export type { ConvIdentityOptions, IdentityActivation } from './options.js';
