import * as tf from '@tensorflow/tfjs';
import { useBestBackend, describeBackend } from '@graft/engine';
import { gpt, gptInputs } from '@graft/models';
import { tokenCrossEntropy } from './dist/gpt/lm-train.js';
const r = await useBestBackend(process.argv[2]);
console.log(describeBackend(r));
const [ctx, d, h, b, bs] = process.argv.slice(3).map(Number);
const model = gpt({ vocabSize: 83, context: ctx, dModel: d, heads: h, blocks: b, seed: 1 });
const tokens = tf.randomUniform([bs, ctx], 0, 83, 'int32');
const xs = gptInputs(tokens); const ys = tf.randomUniform([bs, ctx], 0, 83, 'int32');
const opt = tf.train.adam(1e-3);
for (const kind of ['fwd', 'step']) {
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    if (kind === 'fwd') { const l = tokenCrossEntropy(model, xs, ys, false); await l.data(); l.dispose(); }
    else { const l = opt.minimize(() => tokenCrossEntropy(model, xs, ys, true), true); await l.data(); l.dispose(); }
    if (i > 2) console.log(kind, (performance.now() - t0).toFixed(0), 'ms');
  }
}
const t0 = performance.now(); for (let i = 0; i < 5; i++) tf.dispose(gptInputs(tokens)); console.log('inputs', (performance.now() - t0) / 5);
const info = await tf.profile(async () => { const l = opt.minimize(() => tokenCrossEntropy(model, xs, ys, true), true); await l.data(); l.dispose(); });
const by = new Map();
for (const k of info.kernels) { const e = by.get(k.name) ?? [0, 0]; e[0] += k.kernelTimeMs; e[1]++; by.set(k.name, e); }
console.log([...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15).map(([n, [t, c]]) => `${n} ${t.toFixed(0)}ms x${c}`).join('\n'));
