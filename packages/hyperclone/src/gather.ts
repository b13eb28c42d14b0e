import { seededRandom } from '@graft/core';
import type { Layout } from './layout.js';

/** How one weight of a widened layer is made from the source's. */
export interface WeightRecipe {
  /** The weight's short name (`kernel`, `bias`, `gamma`, `embeddings`, …). */
  readonly name: string;
  /** Layout of the weight's input-feature axis (second to last): a kernel's rows. Absent for vectors. */
  readonly rows?: Layout;
  /** Layout of the weight's last axis (output features). */
  readonly columns: Layout;
  /** Every value is also multiplied by this (1/factor for an attention query). */
  readonly scale: number;
}

const copiesOf = (layout: Layout, width: number): number => (layout.kind === 'original' ? 1 : layout.source.length / width);

/**
 * The widened values of a weight of source shape `shape`: value at (…, row k, column m) is the source's at
 * (…, source[k], source[m]) times `scale`, divided by the number of copies of row k's source feature (so that the
 * copies of an input feature together pass on what it did). With `noise > 0` and cloned rows, each value is also multiplied by
 * (1 + noise · u) where the u of the copies of one source row sum to 0 (the last copy takes minus the others'), so
 * what the copies of an input feature pass on together is unchanged, exactly in exact arithmetic.
 */
export function gatherWeight(values: Float32Array, shape: readonly number[], recipe: WeightRecipe, noise: number, seed: number): { values: Float32Array; shape: number[] } {
  const columnsIn = shape[shape.length - 1]!;
  const rowsIn = recipe.rows === undefined ? 1 : shape[shape.length - 2]!;
  const prefix = values.length / (rowsIn * columnsIn);
  const columnSource = recipe.columns.kind === 'original' ? Int32Array.from({ length: columnsIn }, (_, m) => m) : recipe.columns.source;
  const rowLayout = recipe.rows ?? { kind: 'original' as const };
  const rowSource = rowLayout.kind === 'original' ? Int32Array.from({ length: rowsIn }, (_, k) => k) : rowLayout.source;
  const rowsOut = rowSource.length;
  const columnsOut = columnSource.length;
  const copies = new Int32Array(rowsIn);
  for (const source of rowSource) copies[source]! += 1;
  const out = new Float32Array(prefix * rowsOut * columnsOut);
  for (let p = 0; p < prefix; p++) {
    for (let k = 0; k < rowsOut; k++) {
      const from = (p * rowsIn + rowSource[k]!) * columnsIn;
      const to = (p * rowsOut + k) * columnsOut;
      const scale = recipe.scale / copies[rowSource[k]!]!;
      for (let m = 0; m < columnsOut; m++) out[to + m] = values[from + columnSource[m]!]! * scale;
    }
  }
  if (noise > 0 && rowLayout.kind === 'cloned') addCancellingNoise(out, prefix, rowLayout, rowsIn, columnsOut, noise, seed);
  const outShape = [...shape.slice(0, shape.length - (recipe.rows === undefined ? 1 : 2)), ...(recipe.rows === undefined ? [] : [rowsOut]), columnsOut];
  return { values: out, shape: outShape };
}

function addCancellingNoise(out: Float32Array, prefix: number, rows: Extract<Layout, { kind: 'cloned' }>, rowsIn: number, columns: number, noise: number, seed: number): void {
  const copies = copiesOf(rows, rowsIn);
  // positions[i * copies + a]: the row holding copy a of source row i.
  const positions = new Int32Array(rowsIn * copies);
  rows.source.forEach((source, k) => {
    positions[source * copies + rows.copy[k]!] = k;
  });
  const random = seededRandom(seed);
  const rowsOut = rows.source.length;
  for (let p = 0; p < prefix; p++) {
    for (let i = 0; i < rowsIn; i++) {
      for (let m = 0; m < columns; m++) {
        let sum = 0;
        for (let a = 0; a < copies; a++) {
          const u = a === copies - 1 ? -sum : noise * (2 * random() - 1);
          sum += u;
          const at = (p * rowsOut + positions[i * copies + a]!) * columns + m;
          out[at] = out[at]! * (1 + u);
        }
      }
    }
  }
}
