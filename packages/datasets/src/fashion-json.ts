import { GraftError } from '@graft/core';

const PIXELS = 784;
const [SPACE, TAB, LF, CR, COMMA, OPEN, CLOSE, ZERO, NINE] = [0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x5b, 0x5d, 0x30, 0x39];
const PREFIX = '{"data":';

/**
 * Reads one class file of the `fashion-mnist` package (`{"data":[[784 bytes],[...],...]}`) straight into `into`,
 * starting at image `offset`, and returns how many images it held.
 *
 * We scan the bytes ourselves instead of `JSON.parse`: parsing the ten files (150 MB of text) into arrays of
 * numbers would peak at several times the size of the data set, and the format is simple enough to check strictly.
 * Empty arrays are skipped: the published class-0 file contains two.
 *
 * @throws GraftError `DATA_INVALID` naming `fileName` when the text is not that shape, an image is not 784 values,
 * a value is not an integer in 0..255, or there are more images than `into` has room for.
 */
export function readFashionClassFile(text: Uint8Array, fileName: string, into: Uint8Array, offset: number): number {
  const fail = (at: number, what: string): GraftError =>
    new GraftError('DATA_INVALID', `${fileName}: ${what} at byte ${at}; expected {"data":[[784 integers 0..255],...]}.`);
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length) {
      const c = text[at];
      if (c !== SPACE && c !== TAB && c !== LF && c !== CR) break;
      at++;
    }
  };
  /** Reads `[` (failing with `what` when it is not there) and says whether the array is empty, reading its `]` too. */
  const emptyArray = (what: string): boolean => {
    skipSpace();
    if (text[at++] !== OPEN) throw fail(at - 1, what);
    skipSpace();
    if (text[at] !== CLOSE) return false;
    at++;
    return true;
  };
  /** Reads the `,` after an item (false) or the array's `]` (true). */
  const arrayEnds = (): boolean => {
    skipSpace();
    const c = text[at++];
    if (c === CLOSE) return true;
    if (c !== COMMA) throw fail(at - 1, 'unexpected character');
    return false;
  };
  skipSpace();
  for (let i = 0; i < PREFIX.length; i++, at++) {
    if (text[at] !== PREFIX.charCodeAt(i)) throw fail(at, 'unexpected text');
  }
  let images = 0;
  if (!emptyArray('no array')) {
    for (;;) {
      let values = 0;
      if (!emptyArray('no image array')) {
        const base = (offset + images) * PIXELS;
        if (base + PIXELS > into.length) throw fail(at, `more images than the ${into.length / PIXELS} expected`);
        for (;;) {
          skipSpace();
          let value = 0;
          const start = at;
          while (at < text.length && (text[at] as number) >= ZERO && (text[at] as number) <= NINE) {
            value = value * 10 + (text[at] as number) - ZERO;
            at++;
          }
          if (at === start || at - start > 3 || value > 255) throw fail(start, 'not an integer 0..255');
          if (values >= PIXELS) throw fail(start, `more than ${PIXELS} values in one image`);
          into[base + values++] = value;
          if (arrayEnds()) break;
        }
        if (values !== PIXELS) throw fail(at, `an image of ${values} values instead of ${PIXELS}`);
        images++;
      }
      if (arrayEnds()) break;
    }
  }
  skipSpace();
  if (text[at++] !== 0x7d) throw fail(at - 1, 'no closing brace');
  skipSpace();
  if (at !== text.length) throw fail(at, 'trailing text');
  return images;
}
