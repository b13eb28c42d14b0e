import path from 'node:path';
import { GraftError } from '@graft/core';
import { fromImageFolder } from '@graft/datasets';
import type { DataSourceKind } from './data-source.js';
import { holdOut } from './held-out.js';
import { assertFits, assertSameClasses, signatureOf } from './model-fit.js';

/** `--data DIR`: `DIR/<class>/*.png|jpg|jpeg`, images resized and converted to the model's `[height, width, 1|3]` input. */
export const imageFolderSource: DataSourceKind = {
  accepts: 'a folder of class folders of images (DIR/<class>/*.png|jpg|jpeg)',
  example: 'graft train model.json --data photos/ --epochs 5 --out trained',
  matches: (_source, stat) => stat?.isDirectory() === true,
  async open(request) {
    const signature = signatureOf(request.model);
    const name = path.basename(path.resolve(request.source));
    const input = signature.inputs[0];
    if (signature.inputs.length !== 1 || input?.length !== 3 || (input[2] !== 1 && input[2] !== 3)) {
      throw new GraftError('UNSUPPORTED_MODEL', `${signature.described}; the image folder ${name} needs one input of [height,width,1] or [height,width,3].`);
    }
    const [height, width, channels] = input as [number, number, 1 | 3];
    const images = await fromImageFolder(request.source, { size: [height, width], channels });
    const classes = images.classes ?? [];
    assertFits(signature, name, input, { classes });
    assertSameClasses(request.model, name, classes);
    return { name, task: 'classification', ...holdOut(images, request), classes, ...(images.note === undefined ? {} : { note: images.note }) };
  },
};
