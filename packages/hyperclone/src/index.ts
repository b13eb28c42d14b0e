export { hyperclone, buildClone } from './hyperclone.js';
export type { HypercloneOptions, CloneNoise } from './hyperclone.js';
export { planHyperclone } from './plan.js';
export type { ClonePlan, CloneRefusal } from './plan.js';
export { tiled } from './layout.js';
export type { Layout } from './layout.js';
export type { LayerRule } from './rules.js';
export type { WeightRecipe } from './gather.js';
