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
  skipSpace();
  for (let i = 0; i < PREFIX.length; i++, at++) {
    if (text[at] !== PREFIX.charCodeAt(i)) throw fail(at, 'unexpected text');
  }
  skipSpace();
  if (text[at++] !== OPEN) throw fail(at - 1, 'no array');
  let images = 0;
  skipSpace();
  if (text[at] === CLOSE) at++;
  else {
    for (;;) {
      skipSpace();
      if (text[at++] !== OPEN) throw fail(at - 1, 'no image array');
      let values = 0;
      skipSpace();
      if (text[at] === CLOSE) at++;
      else {
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
          skipSpace();
          const c = text[at++];
          if (c === CLOSE) break;
          if (c !== COMMA) throw fail(at - 1, 'unexpected character');
        }
        if (values !== PIXELS) throw fail(at, `an image of ${values} values instead of ${PIXELS}`);
        images++;
      }
      skipSpace();
      const c = text[at++];
      if (c === CLOSE) break;
      if (c !== COMMA) throw fail(at - 1, 'unexpected character');
    }
  }
  skipSpace();
  if (text[at++] !== 0x7d) throw fail(at - 1, 'no closing brace');
  skipSpace();
  if (at !== text.length) throw fail(at, 'trailing text');
  return images;
}
