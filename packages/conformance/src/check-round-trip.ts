import type * as tf from '@tensorflow/tfjs';
import { addedLayers, disposeModel, loadModelFrom, modelArtifacts } from '@graft/core';
import { checkPreservation, DEFAULT_TOLERANCE, type PreservationResult } from './check-preservation.js';
import { messageOf, type ModelInputs } from './model-tensors.js';

/** What {@link checkRoundTrip} found. */
export interface RoundTripResult {
  /** The reloaded model predicts like the grown one and still lists the same added layers. */
  readonly ok: boolean;
  /** Comparison of the grown model with the reloaded one; absent when save or load failed. */
  readonly preservation?: PreservationResult;
  readonly addedBefore: readonly string[];
  readonly addedAfter: readonly string[];
  readonly message: string;
}

/**
 * Check 4: saves `model` through a tfjs IO handler (core's `modelArtifacts`: the JSON topology, weight specs and
 * weight bytes any handler persists, on disk, in IndexedDB or behind a URL), loads it back with core's validating
 * `loadModelFrom`, and compares predictions on `inputs` and the graft metadata (`addedLayers`). In memory, so the
 * check runs in a browser as in Node; core's own tests cover the same artifacts written to and read from files.
 */
export async function checkRoundTrip(model: tf.LayersModel, inputs: ModelInputs, options: { readonly tolerance?: number } = {}): Promise<RoundTripResult> {
  const addedBefore = addedLayers(model);
  let loaded: tf.LayersModel | undefined;
  try {
    loaded = await loadModelFrom(await modelArtifacts(model));
    const addedAfter = addedLayers(loaded);
    const preservation = checkPreservation(model, loaded, inputs, { tolerance: options.tolerance ?? DEFAULT_TOLERANCE });
    const sameAdded = addedAfter.join('\n') === addedBefore.join('\n');
    const ok = preservation.ok && sameAdded;
    const message = ok
      ? `Save → load keeps predictions (${preservation.message})`
      : !preservation.ok
        ? `After save → load: ${preservation.message}`
        : `After save → load the model lists added layers [${addedAfter.join(', ')}]; expected [${addedBefore.join(', ')}].`;
    return { ok, preservation, addedBefore, addedAfter, message };
  } catch (error) {
    return { ok: false, addedBefore, addedAfter: [], message: `Save → load failed: ${messageOf(error)}` };
  } finally {
    if (loaded !== undefined) disposeModel(loaded);
  }
}
