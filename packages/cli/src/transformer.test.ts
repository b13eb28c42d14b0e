import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFixture } from '@graft/fixtures';
import { runGraft, useModelFolder } from './test-support/graft-process.js';

const folder = useModelFolder('transformer', { gpt: () => getFixture('gpt-2-blocks-4-heads').build(), resnet: () => getFixture('resnet-blocks').build() });

describe('transformer growth in the CLI', () => {
  it('lists block-copy, hyperclone and add-heads under these names', async () => {
    const run = await runGraft(['strategies', '--json'], folder.root);
    expect(run.code).toBe(0);
    const names = (JSON.parse(run.stdout) as { name: string }[]).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['block-copy', 'hyperclone', 'add-heads']));
  });

  it('inspect shows the residual Adds as block-copy sites, "*" for hyperclone and the attention projections for add-heads', async () => {
    const gpt = JSON.parse((await runGraft(['inspect', 'gpt/model.json', '--json'], folder.root)).stdout) as { sites: Record<string, string[]> };
    expect(gpt.sites['block-copy']).toEqual(['block_0_attn_add', 'block_0_mlp_add', 'block_1_attn_add', 'block_1_mlp_add']);
    expect(gpt.sites['hyperclone']).toEqual(['*']);
    expect(gpt.sites['add-heads']).toEqual(['block_0_attn_proj', 'block_1_attn_proj']);
    const resnet = JSON.parse((await runGraft(['inspect', 'resnet/model.json', '--json'], folder.root)).stdout) as { sites: Record<string, string[]> };
    expect(resnet.sites['block-copy']).toEqual(['block_0_add', 'block_1_add']);
  });

  it.each([
    ['without --after', []],
    ['with --after "*"', ['--after', '*']],
  ])('grows a GPT with hyperclone %s', async (label, after) => {
    const out = `wide-${label.replace(/\W+/g, '-')}`;
    const run = await runGraft(['grow', 'gpt', '--strategy', 'hyperclone', '--set', 'factor=2', ...after, '--out', out, '--json'], folder.root);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { strategy: string; after: string; maxAbsDiff: number };
    expect(result).toMatchObject({ strategy: 'hyperclone', after: '*' });
    // The CLI compares on the fastest backend, whose matMul sums in another order than cpu: float rounding only.
    expect(result.maxAbsDiff).toBeLessThan(1e-5);
    const saved = JSON.parse(await fs.readFile(path.join(folder.root, out, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { name: string; config: { output_dim?: number } }[] } } };
    expect(saved.modelTopology.config.layers.find((l) => l.name === 'token_embedding')?.config.output_dim).toBe(16);
  });

  it('copies a whole GPT block with block-copy --set through=…', async () => {
    const run = await runGraft(['grow', 'gpt', '--strategy', 'block-copy', '--after', 'block_0_attn_add', '--set', 'through=block_0_mlp_add', '--out', 'deeper', '--json'], folder.root);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { added: string[]; maxAbsDiff: number };
    expect(result.maxAbsDiff).toBeLessThan(1e-5);
    expect(result.added.at(-1)).toBe('block_0_mlp_add_copy');
  });

  it('adds a head with add-heads, and refuses a layer site for hyperclone in one line with exit 2', async () => {
    const run = await runGraft(['grow', 'gpt', '--strategy', 'add-heads', '--after', 'block_1_attn_proj', '--set', 'heads=2', '--out', 'more-heads', '--json'], folder.root);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { added: string[] }).added).toContain('block_1_head_5_attend');
    const refused = await runGraft(['grow', 'gpt', '--strategy', 'hyperclone', '--after', 'head', '--out', 'refused'], folder.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    await expect(fs.stat(path.join(folder.root, 'refused'))).rejects.toThrow();
  });
});
