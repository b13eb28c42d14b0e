import * as tf from '@tensorflow/tfjs';
// Dev-only stand-in until engine's wasm UnsortedSegmentSum lands.
tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs; const n = attrs.numSegments;
  const xv = backend.typedArrayFromHeap(x); const ids = backend.typedArrayFromHeap(segmentIds);
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const outShape = [n, ...x.shape.slice(1)];
  const out = backend.makeOutput(outShape, x.dtype); const ov = backend.typedArrayFromHeap(out); ov.fill(0);
  for (let i = 0; i < ids.length; i++) { const s = ids[i]; if (s < 0 || s >= n) continue; const o = s * inner, f = i * inner; for (let j = 0; j < inner; j++) ov[o + j] += xv[f + j]; }
  return out;
} });
// Dev-only: Tile's gradient as one reshape and sum instead of a slice and add per repetition.
tf.registerGradient({ kernelName: 'Tile', inputsToSave: ['x'], gradFunc: (dy, saved, attrs) => {
  const [x] = saved; const reps = attrs.reps;
  return { x: () => {
    const shape = []; const axes = [];
    x.shape.forEach((s, i) => { shape.push(reps[i], s); axes.push(2 * i); });
    return tf.sum(tf.reshape(dy, shape), axes);
  } };
} });
