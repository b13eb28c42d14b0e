import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { readFashionClassFile } from './fashion-json.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const image = (value: number): string => `[${new Array(784).fill(value).join(',')}]`;

function error(run: () => unknown): Error {
  try {
    run();
  } catch (caught) {
    expect(isGraftError(caught, 'DATA_INVALID')).toBe(true);
    return caught as Error;
  }
  throw new Error('expected a DATA_INVALID error');
}

describe('readFashionClassFile', () => {
  it('reads images into place, skipping empty arrays', () => {
    const into = new Uint8Array(3 * 784);
    const count = readFashionClassFile(encode(`{"data":[${image(7)},[], ${image(255)}]}\n`), 'c.json', into, 1);
    expect(count).toBe(2);
    expect(into[0]).toBe(0);
    expect(into[784]).toBe(7);
    expect(into[3 * 784 - 1]).toBe(255);
  });

  it('rejects malformed text, naming the file', () => {
    const into = new Uint8Array(2 * 784);
    expect(error(() => readFashionClassFile(encode('[]'), '0.json', into, 0)).message).toMatch(/^0\.json: /);
    expect(error(() => readFashionClassFile(encode(`{"data":[${image(256)}]}`), 'a.json', into, 0)).message).toMatch(
      /not an integer 0\.\.255/,
    );
    expect(error(() => readFashionClassFile(encode(`{"data":[${image(1.5)}]}`), 'b.json', into, 0)).message).toMatch(
      /unexpected character/,
    );
    expect(error(() => readFashionClassFile(encode('{"data":[[1,2,3]]}'), 'c.json', into, 0)).message).toMatch(
      /image of 3 values/,
    );
    expect(error(() => readFashionClassFile(encode(`{"data":[${image(1)}]}x`), 'd.json', into, 0)).message).toMatch(
      /trailing text/,
    );
    const three = `{"data":[${image(1)},${image(1)},${image(1)}]}`;
    expect(error(() => readFashionClassFile(encode(three), 'e.json', into, 0)).message).toMatch(/more images than the 2/);
    expect(error(() => readFashionClassFile(encode(`{"data":[${image(1)}`), 'f.json', into, 0)).message).toMatch(
      /f\.json/,
    );
  });
});
