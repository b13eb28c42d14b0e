import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { addedLayers, disposeModel, loadModel, saveModel } from '@graft/core';
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
 * Check 4: saves `model` with core's `saveModel` into a fresh temporary folder, loads it back with `loadModel`, and
 * compares predictions on `inputs` and the graft metadata (`addedLayers`). The folder and the reloaded model are
 * removed afterwards.
 */
export async function checkRoundTrip(model: tf.LayersModel, inputs: ModelInputs, options: { readonly tolerance?: number } = {}): Promise<RoundTripResult> {
  const folder = await mkdtemp(join(tmpdir(), 'graft-conformance-'));
  const addedBefore = addedLayers(model);
  let loaded: tf.LayersModel | undefined;
  try {
    await saveModel(model, join(folder, 'model'));
    loaded = await loadModel(join(folder, 'model', 'model.json'));
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
    await rm(folder, { recursive: true, force: true });
  }
}
