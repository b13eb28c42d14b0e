// Every kernel and gradient graft overrides for the wasm backend, one per file, wired here in one plain list (as
// tfjs' register_all_kernels.ts does). `enableWasmTraining` applies them in this order; each applies once.
import { castOverride } from './cast.js';
import { collapsedSumOverride } from './collapsed-sum.js';
import { conv2DBackpropFilterOverride } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputOverride } from './conv2d-backprop-input.js';
import { conv2DGradOverride } from './conv2d-grad.js';
import { depthwiseConv2dNativeBackpropFilterOverride } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputOverride } from './depthwise-conv2d-backprop-input.js';
import { depthwiseConv2dGradOverride } from './depthwise-conv2d-grad.js';
import { fastBatchMatMulOverride } from './fast-batch-mat-mul.js';
import { fastTransposeOverride } from './fast-transpose.js';
import { conv2DOverride } from './conv2d-forward.js';
import {
  depthwiseConv2dPaddingOverride,
  fusedConv2DPaddingOverride,
  fusedDepthwiseConv2DPaddingOverride,
} from './forward-padding.js';
import { adamStepKernel, fusedAdamOverride } from './fused-adam.js';
import { gatherOverride } from './gather.js';
import { identityOverride } from './identity.js';
import { largeFusedMatMulOverride } from './large-fused-mat-mul.js';
import type { WasmOverride } from './override.js';
import { reluGradKernelOverride, reluGradOverride } from './relu-grad.js';
import { tileGradOverride } from './tile-grad.js';
import { tileOverride } from './tile.js';
import { unsortedSegmentSumOverride } from './unsorted-segment-sum.js';

/** graft's wasm overrides: kernels wasm lacks for training, correctness fixes, faster equivalents, gradients. */
export const WASM_OVERRIDES: readonly WasmOverride[] = [
  // Kernels tfjs-backend-wasm 4.22 lacks, which training calls.
  conv2DBackpropFilterOverride,
  depthwiseConv2dNativeBackpropFilterOverride,
  depthwiseConv2dNativeBackpropInputOverride,
  unsortedSegmentSumOverride,
  // Correctness: forward convs get explicit padding matching tfjs' output shapes (Conv2D: and graft's SIMD kernel).
  conv2DOverride,
  fusedConv2DPaddingOverride,
  depthwiseConv2dPaddingOverride,
  fusedDepthwiseConv2DPaddingOverride,
  // Speed: same values as the kernels they replace (float32 rounding aside).
  conv2DBackpropInputOverride,
  fastBatchMatMulOverride,
  largeFusedMatMulOverride,
  collapsedSumOverride,
  fastTransposeOverride,
  identityOverride,
  castOverride,
  tileOverride,
  gatherOverride,
  // Gradients that take what tfjs' own refuse (dilations) on wasm and defer to tfjs' elsewhere.
  conv2DGradOverride,
  depthwiseConv2dGradOverride,
  // Gradients that reduce in one kernel where tfjs' issue one kernel per element of a loop (wasm only).
  tileGradOverride,
  // Relu's gradient in one kernel where tfjs' takes three (Step, Cast, Multiply) over the whole activation.
  reluGradKernelOverride,
  reluGradOverride,
  // Optimizer: Adam's update in one kernel per variable (bit for bit tfjs' 14).
  adamStepKernel,
  fusedAdamOverride,
];
