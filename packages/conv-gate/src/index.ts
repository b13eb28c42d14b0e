export { convGate } from './conv-gate.js';
export { GATES } from './options.js';
export type { ConvGateOptions, GateKind } from './options.js';
