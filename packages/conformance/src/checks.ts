// `@graft/conformance/checks`: the checkers alone, importing nothing Node-only (no vitest, no engine, no datasets),
// so a browser page or a bundler can run them. The main entry adds the suite (`describeStrategyConformance`,
// `runStrategyConformance`), which picks backends and loads MNIST in Node.
export { checkStrategyShape } from './check-strategy-shape.js';
export type { StrategyShapeResult } from './check-strategy-shape.js';
export { checkPreservation, DEFAULT_TOLERANCE } from './check-preservation.js';
export type { PreservationOptions, PreservationResult } from './check-preservation.js';
export { checkLiveness } from './check-liveness.js';
export type { LivenessOptions, LivenessResult } from './check-liveness.js';
export { checkSourceUnchanged } from './check-source-unchanged.js';
export type { SourceUnchangedResult } from './check-source-unchanged.js';
export { checkRoundTrip } from './check-round-trip.js';
export type { RoundTripResult } from './check-round-trip.js';
export { checkTrainingStep } from './check-training-step.js';
export type { TrainingStepResult } from './check-training-step.js';
export { checkRefusals } from './check-refusals.js';
export type { RefusalsResult } from './check-refusals.js';
export type { ModelInputs } from './model-tensors.js';
