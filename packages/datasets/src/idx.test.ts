import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { parseIdx } from './idx.js';

function idx(dims: number[], data: number[], magic = 0x0800 + dims.length): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(data, 4 + 4 * dims.length);
  return bytes;
}

function expectInvalid(run: () => unknown, fileName: string, text: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(isGraftError(error, 'DATA_INVALID')).toBe(true);
    expect((error as Error).message).toContain(fileName);
    expect((error as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected parseIdx to throw');
}

describe('parseIdx', () => {
  it('reads dimensions and a view of the data', () => {
    const parsed = parseIdx(idx([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 255]), 'images', { rank: 3, count: 2, itemShape: [2, 2] });
    expect(parsed.dims).toEqual([2, 2, 2]);
    expect(Array.from(parsed.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 255]);
  });

  it('rejects a wrong magic number', () => {
    expectInvalid(() => parseIdx(idx([2], [1, 2], 0x00000d01), 'labels.idx', {}), 'labels.idx', /magic number 0x00000d01/);
    expectInvalid(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), 'x.idx'), 'x.idx', /magic/);
  });

  it('rejects a truncated file and a file with trailing bytes', () => {
    const good = idx([3], [1, 2, 3]);
    expectInvalid(() => parseIdx(good.subarray(0, good.length - 1), 'short.idx'), 'short.idx', /truncated/);
    expectInvalid(() => parseIdx(good.subarray(0, 6), 'header.idx'), 'header.idx', /header alone needs 8/);
    expectInvalid(() => parseIdx(good.subarray(0, 2), 'tiny.idx'), 'tiny.idx', /at least 4/);
    const long = new Uint8Array(good.length + 1);
    long.set(good);
    expectInvalid(() => parseIdx(long, 'long.idx'), 'long.idx', /need 11\.$/);
  });

  it('rejects a count, rank or item shape other than expected', () => {
    expectInvalid(() => parseIdx(idx([2], [1, 2]), 'labels', { count: 3 }), 'labels', /holds 2 items; expected 3/);
    expectInvalid(() => parseIdx(idx([2], [1, 2]), 'labels', { rank: 3 }), 'labels', /1 dimensions; expected 3/);
    expectInvalid(
      () => parseIdx(idx([1, 2, 3], [0, 0, 0, 0, 0, 0]), 'images', { itemShape: [3, 2] }),
      'images',
      /shape \[2, 3\]; expected \[3, 2\]/,
    );
  });

  it('rejects a label out of range', () => {
    expectInvalid(() => parseIdx(idx([3], [0, 9, 10]), 'labels', { maxValue: 9 }), 'labels', /value 10 at index 2/);
  });
});
