import type { GrowthPlan } from './gpt-experiment.js';

/** The two growths of the GPT experiment (filled in when @graft/block-copy and @graft/hyperclone land). */
export function gptPlans(): GrowthPlan[] {
  return [];
}
