import { describe, expect, it } from 'vitest';
import { isGraftError, type VocabularyRecord } from '@graft/core';
import { CharVocabulary, UNKNOWN_SYMBOL } from './vocabulary.js';

describe('CharVocabulary', () => {
  it('keeps characters seen at least minCount times, in code-point order after the unknown symbol', () => {
    const vocabulary = CharVocabulary.fromText('banana band!', { minCount: 2 });
    expect(vocabulary.record).toEqual({ kind: 'characters', symbols: [UNKNOWN_SYMBOL, 'a', 'b', 'n'], unknownId: 0 });
    expect(vocabulary.size).toBe(4);
    expect(Array.from(vocabulary.encode('nab d!'))).toEqual([3, 1, 2, 0, 0, 0]);
    expect(vocabulary.unknownCount('nab d!')).toBe(3);
  });

  it('round-trips every text made of its characters, astral ones included', () => {
    const text = 'héllo 😀 wörld\n😀';
    const vocabulary = CharVocabulary.fromText(text, { minCount: 1 });
    expect(vocabulary.decode(vocabulary.encode(text))).toBe(text);
    expect(vocabulary.encode('😀')).toHaveLength(1);
  });

  it('decodes the same way from its record alone (as a model carries it)', () => {
    const vocabulary = CharVocabulary.fromText('the cat sat', { minCount: 1 });
    const copy = new CharVocabulary(JSON.parse(JSON.stringify(vocabulary.record)) as VocabularyRecord);
    expect(Array.from(copy.encode('a hat'))).toEqual(Array.from(vocabulary.encode('a hat')));
    expect(copy.decode([1, 2, 0])).toBe(vocabulary.decode([1, 2, 0]));
  });

  it('never lets the unknown symbol stand for itself', () => {
    const vocabulary = CharVocabulary.fromText(`${UNKNOWN_SYMBOL}${UNKNOWN_SYMBOL}ab`, { minCount: 1 });
    expect(vocabulary.record.symbols).toEqual([UNKNOWN_SYMBOL, 'a', 'b']);
  });

  it('refuses bad ids, a bad minCount and a malformed record', () => {
    const vocabulary = CharVocabulary.fromText('abc', { minCount: 1 });
    expect(() => vocabulary.decode([1, 4])).toThrow(/id 4 at 1 is not a token id; expected an integer from 0 to 3/);
    expect(() => vocabulary.decode([1.5])).toThrow(/id 1.5/);
    expect(() => CharVocabulary.fromText('abc', { minCount: 0 })).toThrow(/minCount must be a positive integer/);
    const malformed = (): CharVocabulary => new CharVocabulary({ kind: 'characters', symbols: ['a', 'a'], unknownId: 0 });
    expect(malformed).toThrow(/repeats/);
    try {
      malformed();
    } catch (error) {
      expect(isGraftError(error, 'DATA_INVALID')).toBe(true);
    }
  });
});
