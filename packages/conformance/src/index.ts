export { describeStrategyConformance } from './describe-conformance.js';
export { runStrategyConformance } from './run-conformance.js';
export type { ConformanceReport, ConformanceTestResult } from './run-conformance.js';
export type { ConformanceOptions } from './suite.js';
export { checkStatedSites, checkStatedRefusals, DENSE_CHAINS, statedForEach } from './stated-sites.js';
export type { FixtureSites, StatedSites, StatedSitesResult, StatedRefusalsResult } from './stated-sites.js';

// The checkers, as `@graft/conformance/checks` lists them (that entry imports nothing Node-only).
export {
  checkStrategyShape,
  checkPreservation,
  DEFAULT_TOLERANCE,
  checkLiveness,
  checkSourceUnchanged,
  checkRoundTrip,
  checkTrainingStep,
  checkRefusals,
} from './checks.js';
export type {
  StrategyShapeResult,
  PreservationOptions,
  PreservationResult,
  LivenessOptions,
  LivenessResult,
  SourceUnchangedResult,
  RoundTripResult,
  TrainingStepResult,
  RefusalsResult,
  ModelInputs,
} from './checks.js';
export { checkCausality } from './check-causality.js';
export type { CausalFeed, CausalityOptions, CausalityResult } from './check-causality.js';
export { BACKENDS_ENV_VAR } from './backends.js';
