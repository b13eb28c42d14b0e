import type * as tf from '@tensorflow/tfjs';
import { GraftError } from './errors.js';

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
  const classes = Array.isArray(entry['classes']) && entry['classes'].every((c) => typeof c === 'string') ? entry['classes'] : undefined;
  return { added, history, ...(classes === undefined ? {} : { classes }) };
}

/**
 * Returns metadata with one more growth step appended to graft's records; other keys are kept, those inside
 * `graft` too (a vocabulary, class names), so dataset facts survive growing.
 */
export function appendGrowthRecord(metadata: unknown, record: GrowthRecord): Record<string, unknown> {
  const previous = readGraftMetadata(metadata);
  return withGraftEntry(metadata, {
    added: [...previous.added, ...record.added.filter((name) => !previous.added.includes(name))],
    history: [...previous.history, record],
  });
}

/** `metadata` with `fields` set inside its `graft` entry; every other key, inside and outside, is kept. */
function withGraftEntry(metadata: unknown, fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const outer = isRecord(metadata) ? metadata : {};
  const entry = isRecord(outer[GRAFT_METADATA_KEY]) ? outer[GRAFT_METADATA_KEY] : {};
  return { ...outer, [GRAFT_METADATA_KEY]: { ...entry, ...fields } };
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

/**
 * A text vocabulary as it travels in `userDefinedMetadata.graft.vocabulary`: token id `i` is `symbols[i]`, and
 * `symbols[unknownId]` stands for every symbol the vocabulary does not hold (its text is only how it prints).
 * `kind: 'characters'`: each other symbol is one Unicode code point.
 */
export interface VocabularyRecord {
  readonly kind: 'characters';
  readonly symbols: readonly string[];
  readonly unknownId: number;
}

const VOCABULARY_KEY = 'vocabulary';

/**
 * The vocabulary recorded in a metadata object, or undefined when there is none.
 *
 * @throws GraftError `DATA_INVALID` when a vocabulary is recorded but malformed (saying what was expected).
 */
export function readVocabulary(metadata: unknown): VocabularyRecord | undefined {
  const entry = isRecord(metadata) ? metadata[GRAFT_METADATA_KEY] : undefined;
  const value = isRecord(entry) ? entry[VOCABULARY_KEY] : undefined;
  if (value === undefined) return undefined;
  return checkVocabulary(value, 'userDefinedMetadata.graft.vocabulary');
}

/**
 * Returns metadata with `vocabulary` recorded in graft's entry (replacing any earlier one); every other key is kept.
 *
 * @throws GraftError `DATA_INVALID` when `vocabulary` is malformed.
 */
export function withVocabulary(metadata: unknown, vocabulary: VocabularyRecord): Record<string, unknown> {
  const checked = checkVocabulary(vocabulary, 'vocabulary');
  return withGraftEntry(metadata, { [VOCABULARY_KEY]: { kind: checked.kind, symbols: [...checked.symbols], unknownId: checked.unknownId } });
}

/**
 * The vocabulary `model` encodes and decodes text with (kept in its `userDefinedMetadata`, which survives `grow`,
 * save and load), or undefined when it has none.
 *
 * @throws GraftError `DATA_INVALID` when the recorded vocabulary is malformed.
 */
export function modelVocabulary(model: tf.LayersModel): VocabularyRecord | undefined {
  return readVocabulary(model.getUserDefinedMetadata());
}

/**
 * Records `vocabulary` in `model`'s `userDefinedMetadata` (graft's growth records and other keys are kept).
 *
 * @throws GraftError `DATA_INVALID` when `vocabulary` is malformed.
 */
export function setModelVocabulary(model: tf.LayersModel, vocabulary: VocabularyRecord): void {
  model.setUserDefinedMetadata(withVocabulary(model.getUserDefinedMetadata(), vocabulary));
}

function checkVocabulary(value: unknown, where: string): VocabularyRecord {
  const invalid = (what: string): GraftError =>
    new GraftError('DATA_INVALID', `${where}: ${what}; expected { kind: "characters", symbols: [one character each, no repeats], unknownId }.`);
  if (!isRecord(value)) throw invalid('is not an object');
  const { kind, symbols, unknownId } = value;
  if (kind !== 'characters') throw invalid(`kind is ${JSON.stringify(kind)}`);
  if (!Array.isArray(symbols) || symbols.length === 0) throw invalid('symbols is not a non-empty array');
  if (typeof unknownId !== 'number' || !Number.isInteger(unknownId) || unknownId < 0 || unknownId >= symbols.length) {
    throw invalid(`unknownId ${JSON.stringify(unknownId)} is not an index of symbols`);
  }
  const seen = new Set<string>();
  symbols.forEach((symbol: unknown, id) => {
    if (typeof symbol !== 'string' || [...symbol].length !== 1) throw invalid(`symbols[${id}] is ${JSON.stringify(symbol)}`);
    if (seen.has(symbol)) throw invalid(`symbols[${id}] ${JSON.stringify(symbol)} repeats an earlier symbol`);
    seen.add(symbol);
  });
  return { kind, symbols: symbols as string[], unknownId };
}
