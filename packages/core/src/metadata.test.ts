import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSites, grow } from './grow.js';
import { addedLayers, appendGrowthRecord, classNames, readGraftMetadata, withClassNames } from './metadata.js';
import { linearIdentityForTests } from './test-support/identity-strategy.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
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
    await grown.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(classNames(loaded)).toEqual(['a', 'b', 'c']);
    [model, grown, loaded].forEach((m) => m.dispose());
  });
});
