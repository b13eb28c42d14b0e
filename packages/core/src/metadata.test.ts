import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { isGraftError } from './errors.js';
import { findSites, grow } from './grow.js';
import { loadModel } from './node/load-model.js';
import { saveModel } from './node/save-model.js';
import {
  addedLayers,
  appendGrowthRecord,
  classNames,
  modelVocabulary,
  readGraftMetadata,
  readVocabulary,
  setModelVocabulary,
  withClassNames,
  withVocabulary,
  type VocabularyRecord,
} from './metadata.js';
import { linearIdentityForTests } from './test-support/identity-strategy.js';

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

describe('class names in metadata', () => {
  it('are written next to the growth records and read back; other keys stay', () => {
    const grown = appendGrowthRecord({ owner: 'me' }, { strategy: 's', after: 'a', added: ['x'] });
    const named = withClassNames(grown, ['cat', 'dog']);
    expect(named['owner']).toBe('me');
    expect(readGraftMetadata(named)).toEqual({ added: ['x'], history: [{ strategy: 's', after: 'a', added: ['x'] }], classes: ['cat', 'dog'] });
    expect(readGraftMetadata(withClassNames(undefined, ['a', 'b']))).toEqual({ added: [], history: [], classes: ['a', 'b'] });
    // A later growth step keeps them, and keys other helpers store there (a vocabulary).
    const entry = (named['graft'] as Record<string, unknown>);
    const again = appendGrowthRecord({ ...named, graft: { ...entry, vocabulary: ['a'] } }, { strategy: 's', after: 'x', added: ['y'] });
    expect(readGraftMetadata(again).classes).toEqual(['cat', 'dog']);
    expect((again['graft'] as Record<string, unknown>)['vocabulary']).toEqual(['a']);
    expect(readGraftMetadata({ graft: { classes: [1, 2] } }).classes).toBeUndefined();
  });

  it('survive grow and a save/load round trip', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax', name: 'out' })] });
    expect(classNames(model)).toBeUndefined();
    model.setUserDefinedMetadata(withClassNames(model.getUserDefinedMetadata(), ['a', 'b', 'c']));
    const strategy = linearIdentityForTests();
    const [after] = findSites(model, strategy);
    if (after === undefined) throw new Error('no site');
    const { model: grown, added } = await grow(model, strategy, { after });
    expect(classNames(grown)).toEqual(['a', 'b', 'c']);
    expect(addedLayers(grown)).toEqual(added);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await grown.save(tf.io.withSaveHandler((a) => ((artifacts = a), Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } }))));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(classNames(loaded)).toEqual(['a', 'b', 'c']);
    [model, grown, loaded].forEach((m) => m.dispose());
  });
});
