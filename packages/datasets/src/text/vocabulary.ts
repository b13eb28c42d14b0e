import { GraftError, readVocabulary, type VocabularyRecord } from '@graft/core';

/** Printed for the unknown symbol: the Unicode replacement character. */
export const UNKNOWN_SYMBOL = '\uFFFD';

/** Characters seen fewer times than this in the training text share the unknown symbol. */
export const DEFAULT_MIN_COUNT = 5;

/** Options of {@link CharVocabulary.fromText}. */
export interface VocabularyOptions {
  /** Characters seen fewer than `minCount` times map to the unknown symbol. Default {@link DEFAULT_MIN_COUNT}. */
  readonly minCount?: number;
}

/**
 * A character vocabulary: id 0 is the unknown symbol, ids 1.. are characters (Unicode code points) in code-point
 * order. Encoding and decoding depend only on {@link record}, which travels with a model in its metadata
 * (`setModelVocabulary` of `@graft/core`), so a grown or reloaded model reads and writes text the same way.
 */
export class CharVocabulary {
  /** The form kept in a model's `userDefinedMetadata.graft.vocabulary`. */
  readonly record: VocabularyRecord;
  private readonly ids: ReadonlyMap<string, number>;

  /**
   * @throws GraftError `DATA_INVALID` when `record` is malformed.
   */
  constructor(record: VocabularyRecord) {
    const checked = readVocabulary({ graft: { vocabulary: record } }) as VocabularyRecord;
    this.record = checked;
    this.ids = new Map(checked.symbols.flatMap((symbol, id) => (id === checked.unknownId ? [] : [[symbol, id] as const])));
  }

  /**
   * The vocabulary of `text`: every character seen at least `minCount` times, in code-point order, after the
   * unknown symbol at id 0.
   *
   * @throws GraftError `INVALID_ARGUMENT` when `minCount` is not a positive integer.
   */
  static fromText(text: string, options: VocabularyOptions = {}): CharVocabulary {
    const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
    if (!Number.isInteger(minCount) || minCount < 1) {
      throw new GraftError('INVALID_ARGUMENT', `minCount must be a positive integer; got ${minCount}.`);
    }
    const counts = new Map<string, number>();
    for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
    const kept = [...counts]
      .filter(([char, count]) => count >= minCount && char !== UNKNOWN_SYMBOL)
      .map(([char]) => char)
      .sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
    return new CharVocabulary({ kind: 'characters', symbols: [UNKNOWN_SYMBOL, ...kept], unknownId: 0 });
  }

  /** Number of ids, the unknown symbol's included: a model's vocabulary size. */
  get size(): number {
    return this.record.symbols.length;
  }

  /** The ids of `text`'s characters; a character outside the vocabulary becomes the unknown id. */
  encode(text: string): Int32Array {
    const ids: number[] = [];
    for (const char of text) ids.push(this.ids.get(char) ?? this.record.unknownId);
    return Int32Array.from(ids);
  }

  /**
   * The text of `ids` (the unknown id prints as {@link UNKNOWN_SYMBOL}'s recorded form).
   *
   * @throws GraftError `INVALID_ARGUMENT` when an id is not an integer below {@link size}.
   */
  decode(ids: ArrayLike<number>): string {
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const symbol = this.record.symbols[ids[i] as number];
      if (symbol === undefined || !Number.isInteger(ids[i])) {
        throw new GraftError('INVALID_ARGUMENT', `decode: id ${ids[i]} at ${i} is not a token id; expected an integer from 0 to ${this.size - 1}.`);
      }
      text += symbol;
    }
    return text;
  }

  /** How many of `text`'s characters fall outside the vocabulary. */
  unknownCount(text: string): number {
    let count = 0;
    for (const char of text) if (!this.ids.has(char)) count++;
    return count;
  }
}
