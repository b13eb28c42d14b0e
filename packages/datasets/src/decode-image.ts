import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { GraftError } from '@graft/core';

/** A decoded image: RGBA bytes, and whether it is grayscale (1 channel) or color (3). */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly rgba: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/**
 * Decodes a PNG (pngjs) or JPEG (jpeg-js) file's bytes, told apart by their signature, not the file name.
 *
 * @throws GraftError `DATA_INVALID` naming the file when the bytes are neither, or do not decode.
 */
export function decodeImage(bytes: Uint8Array, file: string): DecodedImage {
  const isPng = PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!isPng && !isJpeg) throw new GraftError('DATA_INVALID', `${file} is not a PNG or JPEG image (unknown signature).`);
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = isPng ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } catch (cause) {
    throw new GraftError('DATA_INVALID', `${file} cannot be decoded as ${isPng ? 'PNG' : 'JPEG'}: ${(cause as Error).message}.`, { cause });
  }
  const { width, height, data } = decoded;
  let gray = true;
  for (let p = 0; p < width * height && gray; p++) gray = data[4 * p] === data[4 * p + 1] && data[4 * p + 1] === data[4 * p + 2];
  return { width, height, channels: gray ? 1 : 3, rgba: data };
}
