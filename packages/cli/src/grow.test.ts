import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFixture, mnistReferenceModel } from '@graft/fixtures';
import type { GrowResult } from './commands/grow.js';
import { copyModel, makeTempDir, readModelJson, refusalLine, runGraft, snapshot, writeModel } from './test-support/graft-process.js';

let root: string;
let tanhDir: string;
let referenceDir: string;

beforeAll(async () => {
  root = await makeTempDir('grow');
  tanhDir = path.join(root, 'tanh');
  referenceDir = path.join(root, 'reference');
  await writeModel(getFixture('dense-chain-tanh').build(), tanhDir);
  await writeModel(mnistReferenceModel(), referenceDir);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('graft grow', () => {
  it('writes the grown model, records the added layers and reports an exact difference', async () => {
    const out = path.join(root, 'grown');
    const run = await runGraft(['grow', 'reference/model.json', '--strategy', 'dense-identity', '--after', 'hidden', '--out', 'grown', '--set', 'units=24', '--json'], root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as GrowResult;
    // Widening to 24 units also rewrites the consumer's kernel, which dense-identity reports as added.
    expect(result).toEqual({ strategy: 'dense-identity', after: 'hidden', out, added: [expect.stringMatching(/^hidden_/), 'output'], maxAbsDiff: 0 });
    const saved = await readModelJson(path.join(out, 'model.json'));
    expect(saved.userDefinedMetadata.graft.added).toEqual(result.added);
    expect(saved.userDefinedMetadata.graft.history).toEqual([{ strategy: 'dense-identity', after: 'hidden', added: result.added }]);
    const layers = JSON.stringify(saved.modelTopology);
    expect(layers).toContain(`"${result.added[0]}"`);

    const verify = await runGraft(['verify', 'reference/model.json', 'grown/model.json', '--json'], root);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toEqual({ maxAbsDiff: 0, argmaxAgreement: 1, samples: 64 });
  });

  it('prints a readable summary without --json', async () => {
    const run = await runGraft(['grow', 'tanh', '--strategy', 'dense-identity', '--after', 'dense_3', '--out', 'grown-text'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Grew tanh with dense-identity after "dense_3": added \S+\.\nSaved to .*grown-text/);
    expect(run.stderr).toBe('');
  });

  it('lets a strategy move predictions on purpose when --set noise is given', async () => {
    const run = await runGraft(['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', 'dense_1', '--set', 'noise=0.2', '--out', 'noisy', '--json'], root);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as GrowResult).maxAbsDiff).toBeGreaterThan(0);
  });
});

type Case = readonly [name: string, code: string, prepare: () => string[] | Promise<string[]>];

// Each bad input is refused with exit 2, one line on stderr naming the code, no stack, nothing written, and the
// source files byte for byte as they were.
const refusals: readonly Case[] = [
  ['corrupt model.json', 'MODEL_JSON_INVALID', async () => {
    const file = await copyModel(tanhDir, path.join(root, 'bad-json'));
    await fs.writeFile(file, '{"modelTopology": {');
    return ['grow', file, '--strategy', 'dense-identity', '--after', 'dense_3'];
  }],
  ['truncated weights', 'WEIGHTS_SIZE_MISMATCH', async () => {
    const file = await copyModel(tanhDir, path.join(root, 'truncated'));
    const weights = path.join(path.dirname(file), 'weights.bin');
    await fs.truncate(weights, (await fs.stat(weights)).size - 7);
    return ['grow', file, '--strategy', 'dense-identity', '--after', 'dense_3'];
  }],
  ['a weights path escaping the model folder', 'WEIGHTS_PATH_ESCAPES', async () => {
    const file = await copyModel(tanhDir, path.join(root, 'escape', 'model'), (json) => (json.weightsManifest[0]!.paths = ['../x.bin']));
    await fs.copyFile(path.join(tanhDir, 'weights.bin'), path.join(root, 'escape', 'x.bin'));
    return ['grow', file, '--strategy', 'dense-identity', '--after', 'dense_3'];
  }],
  ['absurd declared shapes', 'WEIGHTS_TOO_LARGE', async () => {
    const file = await copyModel(tanhDir, path.join(root, 'absurd'), (json) => (json.weightsManifest[0]!.weights[0]!.shape = [1e9, 1e9]));
    return ['grow', file, '--strategy', 'dense-identity', '--after', 'dense_3'];
  }],
  ['a missing model.json', 'MODEL_NOT_FOUND', () => ['grow', path.join(root, 'nowhere', 'model.json'), '--strategy', 'dense-identity', '--after', 'dense_3']],
  ['a missing weights file', 'WEIGHTS_FILE_MISSING', async () => {
    const file = await copyModel(tanhDir, path.join(root, 'no-weights'));
    await fs.rm(path.join(path.dirname(file), 'weights.bin'));
    return ['grow', file, '--strategy', 'dense-identity', '--after', 'dense_3'];
  }],
  ['an unknown layer', 'UNKNOWN_LAYER', () => ['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', 'dense_9']],
  ['an unknown strategy', 'UNKNOWN_STRATEGY', () => ['grow', 'tanh/model.json', '--strategy', 'dense-magic', '--after', 'dense_3']],
  ['a ReLU identity forced after tanh', 'NOT_EXACT', () => ['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', 'dense_3', '--set', 'activation=relu']],
  ['conv-gate after a Dense layer', 'SITE_NOT_OFFERED', () => ['grow', 'reference/model.json', '--strategy', 'conv-gate', '--after', 'hidden']],
  ['a bad strategy option', 'INVALID_OPTION', () => ['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', 'dense_3', '--set', 'units=many']],
  ['an occupied --out', 'OUTPUT_EXISTS', async () => {
    await fs.mkdir(path.join(root, 'occupied'), { recursive: true });
    await fs.writeFile(path.join(root, 'occupied', 'keep.txt'), 'mine');
    return ['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', 'dense_3', '--out', 'occupied'];
  }],
];

describe('graft grow refuses bad input', () => {
  it.each(refusals)('%s → exit 2 (%s)', async (_name, code, prepare) => {
    const args = await prepare();
    if (!args.includes('--out')) args.push('--out', 'refused-out');
    const before = await snapshot(root);
    const run = await runGraft([...args, '--json'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(refusalLine(run)).toMatch(new RegExp(`^error: .+ \\(${code}\\)$`));
    expect(await snapshot(root)).toEqual(before);
  });

  it.each([
    ['an unknown option', ['--after', 'dense_3', '--bogus'], /^error: unknown option '--bogus'$/],
    ['a --set without =', ['--after', 'dense_3', '--set', 'units'], /^error: option '--set <key=value>' argument 'units' is invalid\. Expected key=value/],
  ])('%s → exit 2 with the parser\'s one-line message', async (_name, extra, message) => {
    const before = await snapshot(root);
    const run = await runGraft(['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--out', 'refused-out', ...extra], root);
    expect(run.code).toBe(2);
    expect(refusalLine(run)).toMatch(message);
    expect(await snapshot(root)).toEqual(before);
  });

  it('refuses a layer strategy without --after in one line, and "*" for it', async () => {
    const before = await snapshot(root);
    const missing = await runGraft(['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--out', 'refused-out'], root);
    expect(missing.code).toBe(2);
    expect(refusalLine(missing)).toBe('error: Strategy "dense-identity" grows after a layer; expected --after <layer> (graft inspect lists its sites). (INVALID_ARGUMENT)');
    const star = await runGraft(['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', '*', '--out', 'refused-out'], root);
    expect(star.code).toBe(2);
    expect(refusalLine(star)).toMatch(/^error: Strategy "dense-identity" grows after a layer; "\*" is the site of model-wide strategies\. Expected a layer name\. \(SITE_NOT_OFFERED\)$/);
    expect(await snapshot(root)).toEqual(before);
  });

  it('shows the stack only with --debug', async () => {
    const run = await runGraft(['grow', 'tanh/model.json', '--strategy', 'dense-identity', '--after', 'dense_9', '--out', 'refused-out', '--debug'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .+ \(UNKNOWN_LAYER\)\nGraftError: .+\n\s+at /);
  });
});
