import * as tf from '@tensorflow/tfjs';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { randomInputsFor } from './predictions.js';
import { refusalLine, runGraft, snapshot, useModelFolder } from './test-support/graft-process.js';

const folder = useModelFolder('sequence', { text: () => getFixture('text-classifier-lstm').build(), tagger: () => getFixture('sequence-tagger-gru').build() });

describe('graft grow on sequence models', () => {
  it('grows a Sequential model that starts with an Embedding (its rebuilt config keeps input_dim)', async () => {
    const run = await runGraft(['grow', 'text/model.json', '--strategy', 'dense-identity', '--after', 'lstm', '--out', 'text-grown', '--json'], folder.root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ added: ['lstm_identity'], maxAbsDiff: 0 });
  });

  it('grows per token after a sequence-returning GRU', async () => {
    const run = await runGraft(['grow', 'tagger/model.json', '--strategy', 'residual', '--after', 'gru', '--out', 'tagger-grown', '--json'], folder.root);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { maxAbsDiff: number }).maxAbsDiff).toBe(0);
  });

  it.each([
    ['the float32 token input of a Sequential Embedding', 'text/model.json', 'embedding_input'],
    ['an int32 token input', 'tagger/model.json', 'ids'],
  ])('refuses %s: exit 2, one line, nothing written', async (_what, file, after) => {
    const before = await snapshot(folder.root);
    const run = await runGraft(['grow', file, '--strategy', 'dense-identity', '--after', after, '--out', 'refused'], folder.root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toMatch(/^error: .*integer indices.* \(SITE_NOT_OFFERED\)$/);
    expect(await snapshot(folder.root)).toEqual(before);
  });
});

describe('randomInputsFor', () => {
  it('draws token ids within the Embedding\'s vocabulary, as the input\'s dtype', () => {
    const text = getFixture('text-classifier-lstm').build();
    const tagger = getFixture('sequence-tagger-gru').build();
    const [floatIds] = randomInputsFor(text, 64);
    const [intIds] = randomInputsFor(tagger, 64);
    expect(floatIds!.dtype).toBe('float32');
    expect(intIds!.dtype).toBe('int32');
    const values = [...floatIds!.dataSync(), ...intIds!.dataSync()];
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 16)).toBe(true);
    expect(new Set(floatIds!.dataSync()).size).toBeGreaterThan(8);
    tf.dispose([floatIds!, intIds!]);
    text.dispose();
    tagger.dispose();
  });
});
