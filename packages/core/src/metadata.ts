import type * as tf from '@tensorflow/tfjs';

/** Key under which graft keeps its records in a model's `userDefinedMetadata`. */
export const GRAFT_METADATA_KEY = 'graft';

/** One growth step, as recorded in a model's metadata. */
export interface GrowthRecord {
  readonly strategy: string;
  readonly after: string;
  readonly added: readonly string[];
}

/** What graft records in `userDefinedMetadata.graft`. */
export interface GraftMetadata {
  /** Every layer graft added to this model, over all growth steps, in order. */
  readonly added: readonly string[];
  readonly history: readonly GrowthRecord[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads graft's records from a metadata object (as found in `model.json`'s `userDefinedMetadata`). */
export function readGraftMetadata(metadata: unknown): GraftMetadata {
  const entry = isRecord(metadata) ? metadata[GRAFT_METADATA_KEY] : undefined;
  if (!isRecord(entry)) return { added: [], history: [] };
  const added = Array.isArray(entry['added']) ? entry['added'].filter((x): x is string => typeof x === 'string') : [];
  const history = Array.isArray(entry['history'])
    ? entry['history'].filter(isRecord).map((h) => ({
        strategy: String(h['strategy']),
        after: String(h['after']),
        added: Array.isArray(h['added']) ? h['added'].map(String) : [],
      }))
    : [];
  return { added, history };
}

/** Returns metadata with one more growth step appended to graft's records; other keys are kept. */
export function appendGrowthRecord(metadata: unknown, record: GrowthRecord): Record<string, unknown> {
  const previous = readGraftMetadata(metadata);
  const graft: GraftMetadata = {
    added: [...previous.added, ...record.added.filter((name) => !previous.added.includes(name))],
    history: [...previous.history, record],
  };
  return { ...(isRecord(metadata) ? metadata : {}), [GRAFT_METADATA_KEY]: graft };
}

/**
 * Names of the layers graft added to `model` (recorded by `grow` in its `userDefinedMetadata`, which survives
 * save and load). Empty for a model graft never grew.
 */
export function addedLayers(model: tf.LayersModel): string[] {
  return [...readGraftMetadata(model.getUserDefinedMetadata()).added];
}
