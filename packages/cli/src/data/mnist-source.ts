import { GraftError } from '@graft/core';
import { loadDataset, withSampleShape, type DatasetName } from '@graft/datasets';
import type { BatchSource } from '@graft/train';
import type { DataSourceKind } from './data-source.js';
import { signatureOf } from './model-fit.js';

const TEST_SIZE = 10_000;
const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/**
 * `--data mnist|fashion-mnist`: the published splits (the test split fills the `test*` fields; evaluation reads it).
 * The model takes `[28, 28, 1]` images, or `[784]` (then they are flattened), and ends in a softmax over 10 classes.
 */
export const mnistSource: DataSourceKind = {
  accepts: 'mnist, fashion-mnist',
  example: 'graft train model.json --data mnist --epochs 2 --train new --unfreeze-after 1 --out trained',
  matches: (source) => source === 'mnist' || source === 'fashion-mnist',
  async open(request) {
    const name = request.source as DatasetName;
    if (request.label !== undefined) throw new GraftError('INVALID_ARGUMENT', `--label names a CSV column; ${name} has no columns.`);
    if (request.validationSplit !== undefined) {
      throw new GraftError('INVALID_ARGUMENT', `${name} has its published test split; --validation-split applies to CSV files and image folders.`);
    }
    const signature = signatureOf(request.model);
    const input = signature.inputs.length === 1 ? JSON.stringify(signature.inputs[0]) : '';
    const output = signature.outputs.length === 1 ? JSON.stringify(signature.outputs[0]) : '';
    if ((input !== '[28,28,1]' && input !== '[784]') || output !== '[10]' || signature.activation !== 'softmax') {
      throw new GraftError('UNSUPPORTED_MODEL', `${signature.described}; ${name} needs one input of [28,28,1] or [784] and one softmax output of [10].`);
    }
    const limit = request.limit === undefined ? undefined : { train: request.limit, test: Math.min(request.limit, TEST_SIZE) };
    const dataset = await loadDataset(name, limit === undefined ? {} : { limit });
    const adapt = (split: BatchSource): BatchSource => (input === '[784]' ? withSampleShape(split, [784]) : split);
    const classes = name === 'mnist' ? Array.from({ length: 10 }, (_, i) => String(i)) : FASHION_CLASSES;
    if (request.purpose === 'evaluate') return { name, task: 'classification', train: adapt(dataset.test), classes };
    return { name, task: 'classification', train: adapt(dataset.train), test: adapt(dataset.test), classes };
  },
};
