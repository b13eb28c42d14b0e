export { runCli } from './run.js';
export type { CliIO } from './io.js';
export { strategyFactories, strategyNames, createStrategy } from './strategies.js';
export type { StrategyEntry } from './commands/strategies.js';
export type { InspectResult, LayerEntry } from './commands/inspect.js';
export type { GrowResult } from './commands/grow.js';
export type { VerifyResult } from './commands/verify.js';
export type { TrainResult } from './commands/train.js';
