import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parse } from 'csv-parse/sync';
import { GraftError } from '@graft/core';
import { IndexedSource } from './indexed-source.js';

/** Options of {@link fromCsv}. */
export interface CsvOptions {
  /** The target column. Default `'label'`. */
  readonly label?: string;
  /** Field separator. Default: a tab for `.tsv` files, a comma otherwise. */
  readonly delimiter?: string;
  /**
   * How the label column is read: `'classes'` (class names, sorted; `ys` holds int32 class indices), `'values'`
   * (numbers for regression; `ys` is float32 `[n, 1]`), or `'auto'` (default): classes when any label is not a
   * number or every label is an integer, values otherwise.
   */
  readonly labels?: 'auto' | 'classes' | 'values';
}

/**
 * A CSV or TSV file with a header row as a batch source: the `label` column is the target, every other column a
 * numeric feature in file order (`xs` is float32 `[n, features]`). Parsed with csv-parse, held in memory as one
 * float32 copy. Class names are sorted (numerically when they are integers) and kept in `classes`.
 *
 * @throws GraftError `DATA_NOT_FOUND` when the file is missing; `DATA_INVALID` for a missing or non-numeric cell
 * (line and column named), no such label column (the columns listed), fewer than 2 classes, or rows of uneven width.
 */
export async function fromCsv(file: string, options: CsvOptions = {}): Promise<IndexedSource> {
  const label = options.label ?? 'label';
  const delimiter = options.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : ',');
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new GraftError(code === 'ENOENT' ? 'DATA_NOT_FOUND' : 'IO_FAILED', `${file}: ${code === 'ENOENT' ? 'file not found' : `could not be read (${code ?? String(cause)})`}.`, { cause });
  });
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { delimiter, info: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof rows;
  } catch (cause) {
    throw new GraftError('DATA_INVALID', `${file}: ${(cause as Error).message}`, { cause });
  }
  const [header, ...body] = rows;
  if (header === undefined || body.length === 0) throw new GraftError('DATA_INVALID', `${file} has no data rows; expected a header row and at least one row.`);
  const columns = header.record;
  const labelColumn = columns.indexOf(label);
  if (labelColumn < 0) throw new GraftError('DATA_INVALID', `${file} has no column "${label}"; its columns are ${columns.join(', ')}.`);
  const features = columns.filter((_, i) => i !== labelColumn);
  const values = new Float32Array(body.length * features.length);
  const rawLabels: string[] = [];
  body.forEach(({ record, info }, row) => {
    let f = 0;
    record.forEach((cell, column) => {
      if (column === labelColumn) {
        if (cell === '') throw new GraftError('DATA_INVALID', `${file} line ${info.lines}, column "${label}": the label is empty.`);
        rawLabels.push(cell);
        return;
      }
      values[row * features.length + f++] = numberIn(cell, file, info.lines, columns[column] as string);
    });
  });
  const mode = labelMode(rawLabels, options.labels ?? 'auto');
  const load = (ys: (ids: Uint32Array) => tf.Tensor) => (ids: Uint32Array) =>
    tf.tidy(() => {
      const rows = new Float32Array(ids.length * features.length);
      ids.forEach((id, i) => rows.set(values.subarray(id * features.length, (id + 1) * features.length), i * features.length));
      return { xs: tf.tensor2d(rows, [ids.length, features.length]), ys: ys(ids) };
    });
  const sampleShape = [features.length];
  if (mode === 'values') {
    const targets = Float32Array.from(rawLabels, (cell, row) => numberIn(cell, file, (body[row] as { info: { lines: number } }).info.lines, label));
    return new IndexedSource(body.length, load((ids) => tf.tensor2d(Float32Array.from(ids, (id) => targets[id] as number), [ids.length, 1])), { sampleShape });
  }
  const classes = sortedClasses(rawLabels);
  if (classes.length < 2) {
    throw new GraftError('DATA_INVALID', `${file}: column "${label}" holds ${classes.length} class (${classes.join(', ')}); classification needs at least 2.`);
  }
  const index = new Map(classes.map((name, i) => [name, i]));
  const labels = Int32Array.from(rawLabels, (cell) => index.get(className(cell)) as number);
  return new IndexedSource(body.length, load((ids) => tf.tensor1d(Int32Array.from(ids, (id) => labels[id] as number), 'int32')), { labels, classes, sampleShape });
}

function numberIn(cell: string, file: string, line: number, column: string): number {
  if (cell === '') throw new GraftError('DATA_INVALID', `${file} line ${line}, column "${column}": the cell is empty; expected a number.`);
  const value = Number(cell);
  if (!Number.isFinite(value)) throw new GraftError('DATA_INVALID', `${file} line ${line}, column "${column}": "${cell}" is not a number.`);
  return value;
}

function labelMode(labels: readonly string[], asked: 'auto' | 'classes' | 'values'): 'classes' | 'values' {
  if (asked !== 'auto') return asked;
  const numbers = labels.map(Number);
  if (numbers.some((n) => !Number.isFinite(n))) return 'classes';
  return numbers.every((n) => Number.isInteger(n)) ? 'classes' : 'values';
}

/** Integer labels are named by their value ("01" and "1" are one class); others by their text. */
function className(cell: string): string {
  const n = Number(cell);
  return Number.isInteger(n) ? String(n) : cell;
}

function sortedClasses(labels: readonly string[]): string[] {
  const names = [...new Set(labels.map(className))];
  const numeric = names.every((name) => Number.isInteger(Number(name)));
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}
