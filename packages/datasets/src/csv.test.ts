import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGraftError, seededRandom, type Batch } from '@graft/core';
import { csvTable } from '@graft/fixtures';
import { fromCsv } from './csv.js';
import { cpuTempFolder, removeFolder } from './test-support/files.js';

let root: string;

beforeAll(async () => {
  root = await cpuTempFolder('graft-csv-');
});

afterAll(() => removeFolder(root));

async function write(name: string, text: string): Promise<string> {
  const file = path.join(root, name);
  await fs.writeFile(file, text);
  return file;
}

async function allBatches(source: { batches(n: number): Iterable<Batch> | AsyncIterable<Batch> }, n = 1000): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of source.batches(n)) out.push(batch);
  return out;
}

describe('fromCsv', () => {
  it('reads features in file order (label column skipped) and sorted class names as int32 indices', async () => {
    const file = await write('classes.csv', csvTable(50, seededRandom(1), 'classes'));
    const source = await fromCsv(file);
    expect(source.size).toBe(50);
    expect(source.classes).toEqual(['down', 'mid', 'up']);
    expect(source.sampleShape).toEqual([3]);
    const [batch] = await allBatches(source);
    const first = (await fs.readFile(file, 'utf8')).split('\n')[1]?.split(',') ?? [];
    const xs = batch?.xs as tf.Tensor;
    expect(xs.shape).toEqual([50, 3]);
    expect(Array.from(xs.dataSync().slice(0, 3))).toEqual([Number(first[0]), Number(first[1]), Number(first[3])].map(Math.fround));
    expect(batch?.ys.dtype).toBe('int32');
    expect(batch?.ys.dataSync()[0]).toBe(['down', 'mid', 'up'].indexOf(first[2] as string));
    tf.dispose([xs, batch?.ys]);
  });

  it('reads TSV by extension, a named label, integer classes sorted by value, and float targets as values', async () => {
    const tsv = await fromCsv(await write('t.tsv', csvTable(20, seededRandom(2), 'values', '\t')));
    expect(tsv.classes).toBeUndefined();
    const [batch] = await allBatches(tsv);
    expect(batch?.ys.shape).toEqual([20, 1]);
    expect(batch?.ys.dtype).toBe('float32');
    const ints = await fromCsv(await write('ints.csv', 'x,kind\n1,10\n2,9\n3,10\n4,2\n'), { label: 'kind' });
    expect(ints.classes).toEqual(['2', '9', '10']);
    expect(Array.from(ints.sampleLabels() ?? [])).toEqual([2, 1, 2, 0]);
    const values = await fromCsv(await write('ints-values.csv', 'x,kind\n1,10\n2,9\n'), { label: 'kind', labels: 'values' });
    expect(values.classes).toBeUndefined();
  });

  it.each([
    ['a non-numeric cell', 'a,label\n1,x\nfoo,y\n', {}, /bad\.csv line 3, column "a": "foo" is not a number\.$/],
    ['an empty cell', 'a,b,label\n1,,x\n', {}, /bad\.csv line 2, column "b": the cell is empty; expected a number\.$/],
    ['a missing label column', 'a,b\n1,2\n', { label: 'y' }, /bad\.csv has no column "y"; its columns are a, b\.$/],
    ['a single class', 'a,label\n1,x\n2,x\n', {}, /column "label" holds 1 class \(x\); classification needs at least 2\.$/],
    ['a row of another width', 'a,label\n1,x\n2\n', {}, /bad\.csv: Invalid Record Length/],
    ['strings read as values', 'a,label\n1,x\n', { labels: 'values' as const }, /line 2, column "label": "x" is not a number\.$/],
  ])('refuses %s with DATA_INVALID, naming line and column', async (_name, text, options, message) => {
    const file = await write('bad.csv', text);
    await expect(fromCsv(file, options)).rejects.toSatisfy((e) => isGraftError(e, 'DATA_INVALID') && message.test((e as Error).message));
  });

  it('refuses a missing file with DATA_NOT_FOUND', async () => {
    await expect(fromCsv(path.join(root, 'none.csv'))).rejects.toSatisfy((e) => isGraftError(e, 'DATA_NOT_FOUND'));
  });
});
