export { GraftError, isGraftError } from './errors.js';
export type { GraftErrorCode, GraftErrorOptions } from './errors.js';

export type { ModelGraph, LayerNode, TensorRef, WeightValue, Shape } from './graph/types.js';
export { toGraph } from './graph/to-graph.js';
export { fromGraph, graphTopology } from './graph/from-graph.js';
export { validateGraph } from './graph/validate-graph.js';
export {
  getLayer,
  outputShapeOf,
  isSingleOutputSite,
  consumersOf,
  isModelOutput,
  uniqueLayerName,
  activationOf,
  isNonNegativeOutput,
  channelsFirstAncestor,
} from './graph/queries.js';
export type { Consumer } from './graph/queries.js';

export { insertAfter, replaceLayer, weightValue } from './surgery/surgery.js';
export type { NewLayer, LayerChanges } from './surgery/surgery.js';

export type { SurgeryStrategy, Site, ApplyResult, StrategyOptions } from './strategy.js';
export { grow, findSites, assertStrategy } from './grow.js';

// Model IO that runs anywhere (browser and Node); file IO is in `@graft/core/node`.
export { loadModelFrom, validateArtifacts, modelArtifacts } from './io/artifacts.js';
export type { LoadModelOptions } from './io/artifacts.js';
export { checkWeightsPath, validateManifest, DEFAULT_MAX_WEIGHT_BYTES } from './io/validate-manifest.js';
export type { DeclaredWeight, ManifestGroup } from './io/validate-manifest.js';

export { addedLayers, readGraftMetadata, appendGrowthRecord, GRAFT_METADATA_KEY } from './metadata.js';
export type { GraftMetadata, GrowthRecord } from './metadata.js';
export { readOptions, integerOption, numberOption, choiceOption, booleanOption } from './options.js';
export type { OptionField, OptionRead, OptionSpec, OptionValues, OptionWording, IntegerOptionSettings, NumberOptionSettings } from './options.js';
export { seededRandom } from './random.js';
export { disposeModel } from './dispose.js';
export { plannedStrategy } from './planned-strategy.js';
export type { PlannedStrategySpec, SitePlanOutcome, SiteRefusal } from './planned-strategy.js';
