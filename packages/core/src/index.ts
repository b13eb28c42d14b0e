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
  carriesIndices,
} from './graph/queries.js';
export type { Consumer } from './graph/queries.js';
export { branchBetween, isBranch } from './graph/branch.js';
export type { Branch, NoBranch } from './graph/branch.js';

export { insertAfter, addLayersBefore, replaceLayer, weightValue } from './surgery/surgery.js';
export type { NewLayer, LayerChanges } from './surgery/surgery.js';

export type { SurgeryStrategy, Site, ApplyResult, StrategyOptions } from './strategy.js';
export { MODEL_WIDE_SITE, isModelWide } from './strategy.js';
export { grow, findSites, assertStrategy } from './grow.js';

// Model IO that runs anywhere (browser and Node); file IO is in `@graft/core/node`.
export { loadModelFrom, validateArtifacts, modelArtifacts } from './io/artifacts.js';
export type { LoadModelOptions } from './io/artifacts.js';
export { checkWeightsPath, validateManifest, DEFAULT_MAX_WEIGHT_BYTES } from './io/validate-manifest.js';
export type { DeclaredWeight, ManifestGroup } from './io/validate-manifest.js';

export { addedLayers, readGraftMetadata, appendGrowthRecord, withClassNames, classNames, GRAFT_METADATA_KEY } from './metadata.js';
export { readVocabulary, withVocabulary, modelVocabulary, setModelVocabulary } from './metadata.js';
export type { GraftMetadata, GrowthRecord, VocabularyRecord } from './metadata.js';
export { readOptions, integerOption, numberOption, choiceOption, booleanOption, standardOptions, MAX_UNITS, MAX_KERNEL_SIZE } from './options.js';
export type { OptionField, OptionRead, OptionSpec, OptionValues, IntegerOptionSettings, NumberOptionSettings } from './options.js';
export { seededRandom } from './random.js';
export type { Batch, BatchOptions, BatchSource } from './batch-source.js';
export { disposeModel } from './dispose.js';
export { plannedStrategy, planOrRefuse, refuse } from './planned-strategy.js';
export type { PlannedStrategySpec, SitePlanOutcome, SiteRefusal, FieldValue, OptionDefaults, ResolvedOptions, GivenOptions } from './planned-strategy.js';
export { describeSite, producerDescription, rankPhrase } from './kit/site.js';
export type { SiteDescription, SiteRequirements } from './kit/site.js';
export { integerPathOf } from './kit/integer-path.js';
export { positionsLast, convolvedSequence, carriesMask } from './kit/steps.js';
export { exactIdentityActivation, identityActivationOption } from './kit/identity-activation.js';
export type { IdentityActivation } from './kit/identity-activation.js';
export { dense, conv, merge, layerNamer, tensorRef, initializers } from './kit/layers.js';
export type { DenseSpec, ConvSpec, MergeClass, LayerInput, InitializerConfig } from './kit/layers.js';
