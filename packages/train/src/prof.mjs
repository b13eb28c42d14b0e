import * as tf from '@tensorflow/tfjs';
import { useBestBackend, buildReferenceModel } from '@graft/engine';
import { startReplicaPool } from '../dist/parallel/pool.js';
await useBestBackend('wasm');
const m = buildReferenceModel();
const W = Number(process.argv[2] ?? 2);
const p = await startReplicaPool(m, { workers: W, optimizer: tf.train.adam(0.001), task: 'classification' });
await p.setTrainable(['conv','hidden','output'], m.trainableWeights.map(w=>w.originalName));
const xs = tf.randomUniform([32,28,28,1]); const ys = tf.oneHot(tf.randomUniform([32],0,10,'int32'),10).toFloat();
for (let i=0;i<5;i++) await p.step([xs], ys);
const t0 = performance.now();
const N=30;
for (let i=0;i<N;i++) await p.step([xs], ys);
console.log('workers', W, 'ms/step', ((performance.now()-t0)/N).toFixed(1));
await p.dispose();
{
  const opt = tf.train.adam(0.001); const vars = m.trainableWeights.map(w=>w.read());
  const step = () => { const c = tf.tidy(() => opt.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(ys, m.apply(xs, {training:true}))), true, vars)); c.dataSync(); c.dispose(); };
  for (let i=0;i<5;i++) step();
  const t0 = performance.now(); for (let i=0;i<30;i++) step(); console.log('main thread ms/step', ((performance.now()-t0)/30).toFixed(1));
  const t1 = performance.now(); for (let i=0;i<30;i++) { const c = tf.tidy(() => { const {value, grads} = tf.variableGrads(() => tf.mean(tf.metrics.categoricalCrossentropy(ys, m.apply(xs, {training:true}))), vars); Object.values(grads).forEach(g=>g.dataSync()); return value; }); c.dispose(); }
  console.log('main grads only ms/step', ((performance.now()-t1)/30).toFixed(1));
}
