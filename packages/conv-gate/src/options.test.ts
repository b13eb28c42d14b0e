import { toGraph, type SurgeryStrategy } from '@graft/core';
import { getFixture } from '@graft/fixtures';
import { describe, expect, it } from 'vitest';
import { convGate } from './conv-gate.js';

const graph = () => toGraph(getFixture('conv-same-padding-pooling').build());
const untyped = (): SurgeryStrategy => convGate();
/** A matcher for a GraftError INVALID_OPTION whose message matches `message`. */
const invalid = (message: RegExp): Error => expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) as unknown }) as Error;

describe('conv-gate options', () => {
  it('accepts CLI strings for every option', () => {
    const { graph: grown, added } = untyped().apply(graph(), { after: 'conv_1' }, { gate: 'sigmoid', kernelSize: '5', seed: '3' });
    expect(added).toEqual(['conv_1_gate', 'conv_1_gate_doubled', 'conv_1_gated']);
    const gate = grown.nodes.find((n) => n.name === 'conv_1_gate')!;
    expect(gate.config['kernel_size']).toEqual([5, 5]);
    expect(gate.config['activation']).toBe('sigmoid');
    expect(gate.weights[0]!.shape).toEqual([5, 5, 4, 4]);
  });

  it('lets apply overrides win over factory options', () => {
    const { graph: grown } = convGate({ gate: 'tanh', kernelSize: 5 }).apply(graph(), { after: 'conv_1' }, { kernelSize: 1 });
    const gate = grown.nodes.find((n) => n.name === 'conv_1_gate')!;
    expect(gate.config['activation']).toBe('tanh');
    expect(gate.weights[0]!.shape).toEqual([1, 1, 4, 4]);
  });

  it.each([
    [{ kernelSize: 4 }, /"kernelSize" is 4; expected an odd integer from 1 to 31/],
    [{ kernelSize: '4' }, /"kernelSize" is "4"; expected an odd integer from 1 to 31/],
    [{ kernelSize: 'three' }, /"kernelSize" is "three"/],
    [{ kernelSize: 33 }, /"kernelSize" is 33/],
    [{ kernelSize: 0 }, /"kernelSize"/],
    [{ kernelSize: 2.5 }, /"kernelSize"/],
    [{ gate: 'softmax' }, /"gate" is "softmax"; expected one of "relu", "linear", "tanh", "sigmoid"/],
    [{ seed: 'x' }, /"seed" is "x"; expected an integer from 0 to 4294967295/],
    [{ units: 3 }, /unknown option "units"; expected one of: kernelSize, gate, seed/],
  ])('refuses %j with INVALID_OPTION', (options, message) => {
    expect(() => untyped().apply(graph(), { after: 'conv_1' }, options)).toThrow(invalid(message));
  });

  it('refuses bad factory options at once', () => {
    expect(() => convGate({ kernelSize: 2 })).toThrow(invalid(/kernelSize/));
    expect(() => convGate({ gate: 'ones' as 'relu' })).toThrow(invalid(/gate/));
  });

  it('reports one line starting with the strategy name', () => {
    try {
      untyped().apply(graph(), { after: 'conv_1' }, { gate: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^conv-gate: [^\n]+$/);
    }
  });
});
