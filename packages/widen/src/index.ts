export { widen } from './widen.js';
export type { WidenOptions } from './options.js';
