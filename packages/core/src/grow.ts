import type * as tf from '@tensorflow/tfjs';
import { GraftError } from './errors.js';
import { fromDerivedGraph } from './graph/from-graph.js';
import { carriesIndices, getLayer } from './graph/queries.js';
import { integerPathOf } from './kit/integer-path.js';
import { toGraph } from './graph/to-graph.js';
import type { ModelGraph } from './graph/types.js';
import { validateGraph } from './graph/validate-graph.js';
import { appendGrowthRecord } from './metadata.js';
import { isModelWide, MODEL_WIDE_SITE, type ApplyResult, type Site, type StrategyOptions, type SurgeryStrategy } from './strategy.js';

/**
 * Checks that `value` has the shape of a {@link SurgeryStrategy}, like ESLint's RuleTester checks a rule first.
 * @throws GraftError `INVALID_STRATEGY` naming the first missing or wrong member.
 */
export function assertStrategy(value: unknown): asserts value is SurgeryStrategy {
  const refuseMember = (name: string, expected: string): never => {
    throw new GraftError('INVALID_STRATEGY', `Not a graft strategy: "${name}" must be ${expected}.`);
  };
  if (typeof value !== 'object' || value === null) throw new GraftError('INVALID_STRATEGY', `Not a graft strategy: expected an object with name, description, findSites and apply, got ${value === null ? 'null' : typeof value}.`);
  const members = value as Record<string, unknown>;
  if (typeof members['name'] !== 'string' || !/^[a-z][a-z0-9-]*$/.test(members['name'])) refuseMember('name', 'a kebab-case string');
  if (typeof members['description'] !== 'string' || members['description'].length === 0) refuseMember('description', 'a non-empty string');
  if (typeof members['findSites'] !== 'function') refuseMember('findSites', 'a function (graph) => string[]');
  if (typeof members['apply'] !== 'function') refuseMember('apply', 'a function (graph, site, options) => { graph, added }');
  if (members['explain'] !== undefined && typeof members['explain'] !== 'function') refuseMember('explain', 'a function when present');
  if (members['scope'] !== undefined && members['scope'] !== 'layer' && members['scope'] !== 'model') refuseMember('scope', '"layer" or "model" when present');
}

/** Why no strategy is offered after a layer whose output carries indices, whatever the strategy says. */
const indexSiteReason = (graph: ModelGraph, layer: string): string | undefined => {
  const why = integerPathOf(graph, layer);
  return why === undefined ? undefined : `${why}: it carries integer indices, which no inserted layer can change exactly and learn from`;
};

/**
 * Layers after which `strategy` applies exactly, in graph order. Layers whose output carries integer indices
 * (see `carriesIndices`) are never offered, whatever the strategy says.
 * @throws GraftError `INVALID_STRATEGY` when `strategy` is not one.
 */
export function findSites<Options extends object>(model: tf.LayersModel | ModelGraph, strategy: SurgeryStrategy<Options>): string[] {
  assertStrategy(strategy);
  const graph = 'nodes' in model ? model : toGraph(model);
  const sites = strategy.findSites(graph);
  if (!Array.isArray(sites) || sites.some((site) => typeof site !== 'string')) {
    throw new GraftError('INVALID_STRATEGY', `Strategy "${strategy.name}" findSites must return an array of layer names.`);
  }
  if (isModelWide(strategy)) {
    if (sites.length > 1 || sites.some((site) => site !== MODEL_WIDE_SITE)) {
      throw new GraftError('INVALID_STRATEGY', `Strategy "${strategy.name}" is model-wide; its findSites must return ["${MODEL_WIDE_SITE}"] or [], got ${JSON.stringify(sites)}.`);
    }
    return sites;
  }
  return sites.filter((site) => !carriesIndices(graph, site));
}

/**
 * Checks that `site` names a place `strategy` can grow at: a layer of `graph` for a layer strategy, `'*'` for a
 * model-wide one.
 * @throws GraftError `INVALID_ARGUMENT` for a malformed site; `UNKNOWN_LAYER` for a layer `graph` lacks;
 *   `SITE_NOT_OFFERED` for `'*'` given to a layer strategy or a layer given to a model-wide one.
 */
function checkSiteName(graph: ModelGraph, strategy: SurgeryStrategy<object>, site: Site): void {
  if (typeof site !== 'object' || site === null || typeof site.after !== 'string') {
    throw new GraftError('INVALID_ARGUMENT', `The site must be { after: "<layer name>" }, or { after: "${MODEL_WIDE_SITE}" } for a model-wide strategy.`);
  }
  const modelWide = isModelWide(strategy);
  if (modelWide && site.after !== MODEL_WIDE_SITE) {
    throw new GraftError('SITE_NOT_OFFERED', `Strategy "${strategy.name}" is model-wide; expected the site { after: "${MODEL_WIDE_SITE}" }, got { after: ${JSON.stringify(site.after)} }.`);
  }
  if (!modelWide && site.after === MODEL_WIDE_SITE) {
    throw new GraftError('SITE_NOT_OFFERED', `Strategy "${strategy.name}" grows after a layer; "${MODEL_WIDE_SITE}" is the site of model-wide strategies. Expected a layer name.`);
  }
  if (!modelWide) getLayer(graph, site.after);
}

function checkResult(strategy: SurgeryStrategy<object>, before: ModelGraph, result: ApplyResult): void {
  const added: unknown = result?.added;
  if (typeof result !== 'object' || result === null || typeof result.graph !== 'object' || !Array.isArray(added)) {
    throw new GraftError('INVALID_STRATEGY', `Strategy "${strategy.name}" apply must return { graph, added }.`);
  }
  if (result.graph === before) throw new GraftError('INVALID_STRATEGY', `Strategy "${strategy.name}" returned the graph unchanged; apply must return a new graph.`);
  if (result.added.length === 0) throw new GraftError('INVALID_STRATEGY', `Strategy "${strategy.name}" reported no added layers.`);
  validateGraph(result.graph);
  for (const name of result.added) getLayer(result.graph, name);
}

/**
 * Applies `strategy` after the layer `site.after` and returns a new model that computes the same function
 * (as far as the strategy guarantees), plus the names of the layers it added. The source model and its weights
 * are never changed or disposed. The growth step is recorded in the new model's `userDefinedMetadata.graft`.
 *
 * @throws GraftError `INVALID_STRATEGY`; `UNKNOWN_LAYER` when there is no such layer; `SITE_NOT_OFFERED` when the
 * strategy does not apply there (with its reason); `UNSUPPORTED_MODEL` when tfjs cannot rebuild the model even
 * unchanged; `INVALID_GRAPH` when it cannot build the strategy's graph; whatever the strategy throws for bad options.
 */
export async function grow<Options extends object = StrategyOptions>(
  model: tf.LayersModel,
  strategy: SurgeryStrategy<Options>,
  site: Site,
  options?: NoInfer<Readonly<Options>>,
): Promise<{ model: tf.LayersModel; added: string[] }> {
  assertStrategy(strategy);
  const graph = toGraph(model);
  checkSiteName(graph, strategy, site);
  const sites = findSites(graph, strategy);
  if (!sites.includes(site.after)) {
    const reason = (site.after === MODEL_WIDE_SITE ? undefined : indexSiteReason(graph, site.after)) ?? strategy.explain?.(graph, site.after);
    const where = site.after === MODEL_WIDE_SITE ? 'to this model' : `after layer "${site.after}"`;
    const offered = sites.length > 0 ? `it applies after: ${sites.join(', ')}` : 'it applies nowhere in this model';
    throw new GraftError('SITE_NOT_OFFERED', `Strategy "${strategy.name}" does not apply ${where}${reason === undefined ? '' : `: ${reason}`}; ${offered}.`);
  }
  const result = strategy.apply(graph, site, options);
  checkResult(strategy, graph, result);
  const added = [...result.added];
  const metadata = appendGrowthRecord(graph.metadata, { strategy: strategy.name, after: site.after, added });
  return { model: await fromDerivedGraph(graph, { ...result.graph, metadata }), added };
}
