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
  /** Names of the classes the model's output units stand for, in unit order, when training data named them. */
  readonly classes?: readonly string[];
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
  const classes = Array.isArray(entry['classes']) && entry['classes'].every((c) => typeof c === 'string') ? (entry['classes'] as string[]) : undefined;
  return { added, history, ...(classes === undefined ? {} : { classes }) };
}

/** Returns metadata with one more growth step appended to graft's records; other keys are kept. */
export function appendGrowthRecord(metadata: unknown, record: GrowthRecord): Record<string, unknown> {
  const previous = readGraftMetadata(metadata);
  const graft: GraftMetadata = {
    ...graftEntry(metadata),
    added: [...previous.added, ...record.added.filter((name) => !previous.added.includes(name))],
    history: [...previous.history, record],
  };
  return { ...(isRecord(metadata) ? metadata : {}), [GRAFT_METADATA_KEY]: graft };
}

/** graft's entry as stored, other helpers' keys (a text vocabulary, class names) included. */
function graftEntry(metadata: unknown): Record<string, unknown> {
  const entry = isRecord(metadata) ? metadata[GRAFT_METADATA_KEY] : undefined;
  return isRecord(entry) ? entry : {};
}

/**
 * Returns metadata whose graft records name the classes of the model's output units (CSV labels, image folder
 * names), in unit order; growth records and other keys are kept. `grow` keeps them too.
 */
export function withClassNames(metadata: unknown, classes: readonly string[]): Record<string, unknown> {
  return { ...(isRecord(metadata) ? metadata : {}), [GRAFT_METADATA_KEY]: { added: [], history: [], ...graftEntry(metadata), classes: [...classes] } };
}

/** The class names recorded in `model`'s metadata by {@link withClassNames}, or undefined. */
export function classNames(model: tf.LayersModel): string[] | undefined {
  const classes = readGraftMetadata(model.getUserDefinedMetadata()).classes;
  return classes === undefined ? undefined : [...classes];
}

/**
 * Names of the layers graft added to `model` (recorded by `grow` in its `userDefinedMetadata`, which survives
 * save and load). Empty for a model graft never grew.
 */
export function addedLayers(model: tf.LayersModel): string[] {
  return [...readGraftMetadata(model.getUserDefinedMetadata()).added];
}
