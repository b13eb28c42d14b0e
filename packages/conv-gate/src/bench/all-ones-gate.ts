import { getLayer, replaceLayer, weightValue, type ModelGraph } from '@graft/core';
import { convGate } from '../conv-gate.js';

/**
 * The write-up's initialisation, kept only to measure its damage (never offered as a strategy): the same
 * `y = x ⊙ relu(conv_k(x))` gate, but with an all-ones kernel and zero bias. Such a conv outputs the sum of its
 * k×k×C window, not 1, so the grown model no longer computes what the trained one did.
 */
export function allOnesGate(graph: ModelGraph, after: string, kernelSize = 3): { graph: ModelGraph; added: readonly string[] } {
  const exact = convGate({ gate: 'relu', kernelSize }).apply(graph, { after });
  const gateName = exact.added[0] as string;
  const [kernel, bias] = getLayer(exact.graph, gateName).weights;
  if (kernel === undefined || bias === undefined) throw new Error(`Gate "${gateName}" has no kernel and bias.`);
  const weights = [
    weightValue('kernel', kernel.shape, new Float32Array(kernel.values.length).fill(1)),
    weightValue('bias', bias.shape, new Float32Array(bias.values.length)),
  ];
  return { graph: replaceLayer(exact.graph, gateName, { weights }), added: exact.added };
}
