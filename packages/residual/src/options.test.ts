import { toGraph, type SurgeryStrategy } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { residual } from './residual.js';

const graph = () => toGraph(getFixture('conv-same-padding-pooling').build());
const layer = (g: ReturnType<typeof graph>, name: string) => g.nodes.find((n) => n.name === name)!;
const untyped = (): SurgeryStrategy => residual();
/** A matcher for a GraftError INVALID_OPTION whose message matches `message`. */
const invalid = (message: RegExp): Error => expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) as unknown }) as Error;

describe('residual options', () => {
  it('accepts CLI strings for every option', () => {
    const { graph: grown } = untyped().apply(graph(), { after: 'conv_1' }, { hidden: '3', activation: 'tanh', kernelSize: '1', seed: '9' });
    expect(layer(grown, 'conv_1_branch').weights[0]!.shape).toEqual([1, 1, 4, 3]);
    expect(layer(grown, 'conv_1_branch').config['activation']).toBe('tanh');
  });

  it('lets apply overrides win over factory options, and ignores kernelSize at rank 2', () => {
    const strategy = residual({ hidden: 2, kernelSize: 5 });
    expect(layer(strategy.apply(graph(), { after: 'conv_1' }, { hidden: 6 }).graph, 'conv_1_branch').weights[0]!.shape).toEqual([5, 5, 4, 6]);
    expect(layer(strategy.apply(graph(), { after: 'global_avg_pool' }).graph, 'global_avg_pool_branch').weights[0]!.shape).toEqual([6, 2]);
  });

  it.each([
    [{ hidden: 0 }, /^residual: option "hidden" is 0; expected an integer from 1 to 1000000\.$/],
    [{ hidden: '-3' }, /"hidden" is "-3"/],
    [{ hidden: 1.5 }, /"hidden"/],
    [{ kernelSize: 2 }, /"kernelSize" is 2; expected an odd integer from 1 to 31/],
    [{ kernelSize: 'big' }, /"kernelSize" is "big"/],
    [{ activation: 'softmax' }, /"activation" is "softmax"; expected one of "relu", /],
    [{ activation: 3 }, /"activation"/],
    [{ seed: 'abc' }, /"seed" is "abc"; expected an integer from 0 to 4294967295/],
    [{ gate: 'tanh' }, /unknown option "gate"; expected one of: hidden, activation, kernelSize, seed/],
  ])('refuses %j with INVALID_OPTION', (options, message) => {
    expect(() => untyped().apply(graph(), { after: 'conv_1' }, options)).toThrow(invalid(message));
  });

  it('refuses bad factory options at once, in one line naming the strategy', () => {
    expect(() => residual({ hidden: -1 })).toThrow(invalid(/^residual: [^\n]+$/));
  });
});
