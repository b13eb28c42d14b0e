import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertOutputFree, reportJson, writeFilesAtomically } from './report.js';
import { sampleReport } from './test-support/sample-report.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'graft-demo-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('assertOutputFree', () => {
  it('accepts a missing or empty folder', async () => {
    await expect(assertOutputFree(join(dir, 'new'))).resolves.toBeUndefined();
    await expect(assertOutputFree(dir)).resolves.toBeUndefined();
  });

  it('refuses a folder with files, or a file, with OUTPUT_EXISTS', async () => {
    await writeFile(join(dir, 'old.txt'), 'x');
    await expect(assertOutputFree(dir)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    await expect(assertOutputFree(dir)).rejects.toThrow('is not empty');
    await expect(assertOutputFree(join(dir, 'old.txt'))).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
  });
});

describe('writeFilesAtomically', () => {
  it('creates the folder and leaves only the finished files', async () => {
    const target = join(dir, 'a', 'b');
    await writeFilesAtomically(target, { 'report.json': reportJson(sampleReport()), 'report.html': '<p>hi</p>' });
    expect((await readdir(target)).sort()).toEqual(['report.html', 'report.json']);
    expect(JSON.parse(await readFile(join(target, 'report.json'), 'utf8'))).toEqual(sampleReport());
  });

  it('fails with IO_FAILED naming the file when it cannot write', async () => {
    await mkdir(join(dir, 'report.json'));
    await mkdir(join(dir, 'report.json', 'blocker'));
    await expect(writeFilesAtomically(dir, { 'report.json': '{}' })).rejects.toMatchObject({ code: 'IO_FAILED' });
    await expect(writeFilesAtomically(dir, { 'report.json': '{}' })).rejects.toThrow(join(dir, 'report.json'));
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
