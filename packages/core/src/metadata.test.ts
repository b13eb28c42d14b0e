import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGraftError } from './errors.js';
import { grow } from './grow.js';
import { loadModel } from './io/load-model.js';
import { saveModel } from './io/save-model.js';
import {
  addedLayers,
  appendGrowthRecord,
  modelVocabulary,
  readVocabulary,
  setModelVocabulary,
  withVocabulary,
  type VocabularyRecord,
} from './metadata.js';
import { linearIdentityForTests } from './test-support/identity-strategy.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const vocabulary: VocabularyRecord = { kind: 'characters', symbols: ['\uFFFD', '\n', ' ', 'a', 'b', 'é', '😀'], unknownId: 0 };

describe('vocabulary metadata', () => {
  it('is recorded beside the growth records and other keys, which are kept', () => {
    const grown = appendGrowthRecord({ author: 'me' }, { strategy: 's', after: 'd', added: ['d_identity'] });
    const both = withVocabulary(grown, vocabulary);
    expect(both['author']).toBe('me');
    expect(readVocabulary(both)).toEqual(vocabulary);
    // And the other way round: growing again keeps the vocabulary.
    const again = appendGrowthRecord(both, { strategy: 's', after: 'e', added: ['e_identity'] });
    expect(readVocabulary(again)).toEqual(vocabulary);
    expect((again['graft'] as { added: string[] }).added).toEqual(['d_identity', 'e_identity']);
  });

  it('is absent from a model that never had one', () => {
    expect(readVocabulary(undefined)).toBeUndefined();
    expect(readVocabulary({ graft: { added: [] } })).toBeUndefined();
  });

  it.each([
    ['not an object', 'abc', /is not an object/],
    ['another kind', { ...vocabulary, kind: 'words' }, /kind is "words"/],
    ['no symbols', { ...vocabulary, symbols: [] }, /symbols is not a non-empty array/],
    ['two characters in one symbol', { ...vocabulary, symbols: ['?', 'ab'] }, /symbols\[1\] is "ab"/],
    ['a repeated symbol', { ...vocabulary, symbols: ['?', 'a', 'a'] }, /symbols\[2\] "a" repeats/],
    ['an unknown id out of range', { ...vocabulary, unknownId: 7 }, /unknownId 7 is not an index/],
  ])('refuses %s in one line', (_, value, message) => {
    const read = (): unknown => readVocabulary({ graft: { vocabulary: value } });
    expect(read).toThrow(message);
    expect(read).toThrow(/^[^\n]+expected \{ kind: "characters"/);
    try {
      read();
    } catch (error) {
      expect(isGraftError(error, 'DATA_INVALID')).toBe(true);
    }
  });

  it('survives grow, save and load', async () => {
    const model = getFixture('dense-chain-relu').build();
    setModelVocabulary(model, vocabulary);
    const { model: grown } = await grow(model, linearIdentityForTests(), { after: 'dense_1' });
    expect(modelVocabulary(grown)).toEqual(vocabulary);
    expect(addedLayers(grown)).toEqual(['dense_1_identity']);
    const dir = await mkdtemp(join(tmpdir(), 'graft-vocabulary-'));
    try {
      await saveModel(grown, dir);
      const loaded = await loadModel(join(dir, 'model.json'));
      expect(modelVocabulary(loaded)).toEqual(vocabulary);
      expect(addedLayers(loaded)).toEqual(['dense_1_identity']);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      model.dispose();
      grown.dispose();
    }
  });
});
