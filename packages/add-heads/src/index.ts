export { addHeads } from './add-heads.js';
export type { AddHeadsOptions } from './add-heads.js';
export { planAddHeads, headAt } from './plan.js';
export type { HeadsPlan, HeadsRefusal } from './plan.js';
