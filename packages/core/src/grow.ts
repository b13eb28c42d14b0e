import type * as tf from '@tensorflow/tfjs';
import { GraftError } from './errors.js';
import { fromDerivedGraph } from './graph/from-graph.js';
import { carriesIndices, getLayer } from './graph/queries.js';
import { toGraph } from './graph/to-graph.js';
import type { ModelGraph } from './graph/types.js';
import { validateGraph } from './graph/validate-graph.js';
import { appendGrowthRecord } from './metadata.js';
import type { ApplyResult, Site, StrategyOptions, SurgeryStrategy } from './strategy.js';

/**
 * Checks that `value` has the shape of a {@link SurgeryStrategy}, like ESLint's RuleTester checks a rule first.
 * @throws GraftError `INVALID_STRATEGY` naming the first missing or wrong member.
 */
export function assertStrategy(value: unknown): asserts value is SurgeryStrategy {
  const what = (name: string, expected: string): never => {
    throw new GraftError('INVALID_STRATEGY', `Not a graft strategy: "${name}" must be ${expected}.`);
  };
  if (typeof value !== 'object' || value === null) throw new GraftError('INVALID_STRATEGY', `Not a graft strategy: expected an object with name, description, findSites and apply, got ${value === null ? 'null' : typeof value}.`);
  const s = value as Record<string, unknown>;
  if (typeof s['name'] !== 'string' || !/^[a-z][a-z0-9-]*$/.test(s['name'])) what('name', 'a kebab-case string');
  if (typeof s['description'] !== 'string' || s['description'].length === 0) what('description', 'a non-empty string');
  if (typeof s['findSites'] !== 'function') what('findSites', 'a function (graph) => string[]');
  if (typeof s['apply'] !== 'function') what('apply', 'a function (graph, site, options) => { graph, added }');
  if (s['explain'] !== undefined && typeof s['explain'] !== 'function') what('explain', 'a function when present');
}

/** Why no strategy is offered after a layer whose output carries indices, whatever the strategy says. */
const INDEX_SITE_REASON = 'its output carries integer indices (token ids read by an Embedding), which no inserted layer can change exactly and learn from';

/**
 * Layers after which `strategy` applies exactly, in graph order. Layers whose output carries integer indices
 * (see `carriesIndices`) are never offered, whatever the strategy says.
 * @throws GraftError `INVALID_STRATEGY` when `strategy` is not one.
 */
export function findSites(model: tf.LayersModel | ModelGraph, strategy: SurgeryStrategy): string[] {
  assertStrategy(strategy);
  const graph = 'nodes' in model ? model : toGraph(model);
  const sites = strategy.findSites(graph);
  if (!Array.isArray(sites) || sites.some((s) => typeof s !== 'string')) {
    throw new GraftError('INVALID_STRATEGY', `Strategy "${strategy.name}" findSites must return an array of layer names.`);
  }
  return sites.filter((site) => !carriesIndices(graph, site));
}

function checkResult(strategy: SurgeryStrategy, before: ModelGraph, result: ApplyResult): void {
  if (typeof result !== 'object' || result === null || typeof result.graph !== 'object' || !Array.isArray(result.added)) {
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
export async function grow(
  model: tf.LayersModel,
  strategy: SurgeryStrategy,
  site: Site,
  options?: StrategyOptions,
): Promise<{ model: tf.LayersModel; added: string[] }> {
  assertStrategy(strategy);
  if (typeof site !== 'object' || site === null || typeof site.after !== 'string') {
    throw new GraftError('INVALID_ARGUMENT', 'The site must be { after: "<layer name>" }.');
  }
  const graph = toGraph(model);
  getLayer(graph, site.after);
  const sites = findSites(graph, strategy);
  if (!sites.includes(site.after)) {
    const reason = carriesIndices(graph, site.after) ? INDEX_SITE_REASON : strategy.explain?.(graph, site.after);
    const offered = sites.length > 0 ? `it applies after: ${sites.join(', ')}` : 'it applies nowhere in this model';
    throw new GraftError('SITE_NOT_OFFERED', `Strategy "${strategy.name}" does not apply after layer "${site.after}"${reason === undefined ? '' : `: ${reason}`}; ${offered}.`);
  }
  const result = strategy.apply(graph, site, options);
  checkResult(strategy, graph, result);
  const added = [...result.added];
  const metadata = appendGrowthRecord(graph.metadata, { strategy: strategy.name, after: site.after, added });
  return { model: await fromDerivedGraph(graph, { ...result.graph, metadata }), added };
}
