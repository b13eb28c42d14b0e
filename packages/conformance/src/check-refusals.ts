import type * as tf from '@tensorflow/tfjs';
import { disposeModel, findSites, fromGraph, grow, isGraftError, type StrategyOptions, type SurgeryStrategy, toGraph } from '@graft/core';
import { checkPreservation, DEFAULT_TOLERANCE } from './check-preservation.js';
import { messageOf, type ModelInputs } from './model-tensors.js';

/** What {@link checkRefusals} found. */
export interface RefusalsResult {
  /** Every layer not offered was refused with a `GraftError`, and `apply` never built a wrong model there. */
  readonly ok: boolean;
  /** Layers the strategy does not offer (all of them were tried). */
  readonly notOffered: readonly string[];
  /** Layers where `grow` returned a model although the site is not offered. */
  readonly accepted: readonly string[];
  /** Layers where `grow` threw something other than a `GraftError`, with the message. */
  readonly wrongErrors: readonly { readonly layer: string; readonly message: string }[];
  /** Layers where calling `apply` directly returned a graph whose model does not preserve predictions. */
  readonly silentlyWrong: readonly string[];
  readonly message: string;
}

/**
 * Check 6: for every layer of `source` that `strategy.findSites` does not offer, `grow` must reject with a
 * `GraftError` (any code). `apply` is also called directly there, as a caller bypassing `grow` would: it may throw
 * (the contract asks for `GraftError('SITE_NOT_OFFERED')`) or return a graph that still preserves predictions on
 * `inputs` (findSites was merely cautious), but never a silently wrong model.
 */
export async function checkRefusals(
  source: tf.LayersModel,
  strategy: SurgeryStrategy,
  inputs: ModelInputs,
  options?: StrategyOptions,
  tolerance = DEFAULT_TOLERANCE,
): Promise<RefusalsResult> {
  const graph = toGraph(source);
  const offered = new Set(findSites(graph, strategy));
  const notOffered = graph.nodes.map((n) => n.name).filter((name) => !offered.has(name));
  const accepted: string[] = [];
  const wrongErrors: { layer: string; message: string }[] = [];
  const silentlyWrong: string[] = [];
  for (const layer of notOffered) {
    try {
      const grown = await grow(source, strategy, { after: layer }, options);
      disposeModel(grown.model);
      accepted.push(layer);
    } catch (error) {
      if (!isGraftError(error)) wrongErrors.push({ layer, message: messageOf(error) });
    }
    let direct: tf.LayersModel | undefined;
    try {
      direct = await fromGraph(strategy.apply(graph, { after: layer }, options).graph);
    } catch {
      // Refused (or unbuildable): not a silently wrong model.
    }
    if (direct !== undefined) {
      if (!checkPreservation(source, direct, inputs, { tolerance }).ok) silentlyWrong.push(layer);
      disposeModel(direct);
    }
  }
  const problems = [
    accepted.length === 0 ? '' : `grow returned a model after layers it does not offer: ${accepted.join(', ')}`,
    wrongErrors.length === 0 ? '' : `refused without a GraftError: ${wrongErrors.map((w) => `${w.layer} (${w.message})`).join(', ')}`,
    silentlyWrong.length === 0 ? '' : `apply, called after layers findSites does not offer, silently returned a model that changes predictions: ${silentlyWrong.join(', ')} — throw GraftError('SITE_NOT_OFFERED') there`,
  ].filter((p) => p !== '');
  const ok = problems.length === 0;
  return {
    ok,
    notOffered,
    accepted,
    wrongErrors,
    silentlyWrong,
    message: ok ? `Refused all ${notOffered.length} layers it does not offer.` : `${problems.join('; ')}.`,
  };
}
