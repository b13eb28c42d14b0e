import { GraftError } from '@graft/core';

/** What {@link parseIdx} found in an IDX file: its dimensions and its bytes (a view, not a copy). */
export interface IdxData {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** What the caller expects of an IDX file; every field left out is not checked. */
export interface IdxExpectation {
  /** Number of dimensions (1 for labels, 3 for images). */
  readonly rank?: number;
  /** Number of items (the first dimension). */
  readonly count?: number;
  /** The dimensions after the first, e.g. `[28, 28]` for MNIST images. */
  readonly itemShape?: readonly number[];
  /** Largest value allowed in the data, e.g. `9` for labels of ten classes. */
  readonly maxValue?: number;
}

// IDX type code 0x08 is unsigned byte, the only type MNIST-style files use.
const UBYTE = 0x08;

function invalid(fileName: string, message: string): GraftError {
  return new GraftError('DATA_INVALID', `${fileName}: ${message}`);
}

/**
 * Parses an IDX file of unsigned bytes (the format of the original MNIST files) and checks it: magic number,
 * header, exact byte length, and whatever `expected` asks for.
 *
 * @param buffer - the whole file.
 * @param fileName - named in every error, so a user knows which file is bad.
 * @param expected - optional checks on rank, item count, item shape and value range.
 * @returns the dimensions and a view of the data bytes (no copy).
 * @throws GraftError `DATA_INVALID` naming `fileName` when the magic number, header, length, count, shape or a
 * value is not what an IDX file (or `expected`) says.
 */
export function parseIdx(buffer: Uint8Array, fileName: string, expected: IdxExpectation = {}): IdxData {
  if (buffer.length < 4) throw invalid(fileName, `file is ${buffer.length} bytes; an IDX header needs at least 4.`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const zeros = view.getUint16(0);
  const type = view.getUint8(2);
  const rank = view.getUint8(3);
  if (zeros !== 0 || type !== UBYTE || rank === 0) {
    const magic = view.getUint32(0).toString(16).padStart(8, '0');
    throw invalid(fileName, `magic number 0x${magic} is not an IDX file of unsigned bytes (expected 0x000008NN).`);
  }
  if (expected.rank !== undefined && rank !== expected.rank) {
    throw invalid(fileName, `has ${rank} dimensions; expected ${expected.rank}.`);
  }
  const headerBytes = 4 + 4 * rank;
  if (buffer.length < headerBytes) {
    throw invalid(fileName, `file is ${buffer.length} bytes; its header alone needs ${headerBytes}.`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  if (buffer.length !== headerBytes + dataBytes) {
    throw invalid(
      fileName,
      `file is ${buffer.length} bytes; dimensions [${dims.join(', ')}] need ${headerBytes + dataBytes}` +
        (buffer.length < headerBytes + dataBytes ? ' (truncated).' : '.'),
    );
  }
  if (expected.count !== undefined && dims[0] !== expected.count) {
    throw invalid(fileName, `holds ${dims[0]} items; expected ${expected.count}.`);
  }
  if (expected.itemShape !== undefined) {
    const itemShape = dims.slice(1);
    if (itemShape.length !== expected.itemShape.length || itemShape.some((d, i) => d !== expected.itemShape?.[i])) {
      throw invalid(fileName, `items have shape [${itemShape.join(', ')}]; expected [${expected.itemShape.join(', ')}].`);
    }
  }
  const data = buffer.subarray(headerBytes);
  if (expected.maxValue !== undefined) {
    for (let i = 0; i < data.length; i++) {
      if ((data[i] as number) > expected.maxValue) {
        throw invalid(fileName, `value ${data[i]} at index ${i} is out of range; expected 0..${expected.maxValue}.`);
      }
    }
  }
  return { dims, data };
}
