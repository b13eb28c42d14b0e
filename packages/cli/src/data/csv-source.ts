import path from 'node:path';
import { GraftError } from '@graft/core';
import { fromCsv } from '@graft/datasets';
import type { DataSourceKind } from './data-source.js';
import { holdOut } from './held-out.js';
import { assertFits, assertSameClasses, isRegressionOutput, signatureOf } from './model-fit.js';

/**
 * `--data table.csv|table.tsv`: a header row, `--label` (default `label`) the target, every other column a numeric
 * feature. A one-unit non-softmax output makes it regression; otherwise the labels are classes.
 */
export const csvSource: DataSourceKind = {
  accepts: 'a .csv or .tsv file',
  example: 'graft train model.json --data iris.csv --label species --epochs 20 --out trained',
  matches: (source) => /\.(csv|tsv)$/i.test(source),
  async open(request) {
    // A missing package file (MNIST's) is an install problem, exit 1; a missing file the user named is bad input.
    if (request.stat === undefined) throw new GraftError('INVALID_ARGUMENT', `--data ${request.source}: no such file.`);
    const signature = signatureOf(request.model);
    const regression = isRegressionOutput(signature);
    const table = await fromCsv(request.source, { labels: regression ? 'values' : 'classes', ...(request.label === undefined ? {} : { label: request.label }) });
    const name = path.basename(request.source);
    const classes = table.classes;
    assertFits(signature, name, table.sampleShape ?? [], classes === undefined ? 'regression' : { classes });
    if (classes !== undefined) assertSameClasses(request.model, name, classes);
    return { name, task: classes === undefined ? 'regression' : 'classification', ...holdOut(table, request), ...(classes === undefined ? {} : { classes }) };
  },
};
