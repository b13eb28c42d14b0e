import * as tf from '@tensorflow/tfjs';
import { toGraph, fromGraph } from './dist/index.js';
import { LAYER_CASES, NOT_COVERED } from './dist/test-support/layer-cases.js';
await tf.setBackend('cpu');
function build(c, form) {
  if (form === 'sequential') return tf.sequential({ layers: [ (()=>{ const l = c.layer(); return l; })(), ...(c.then?.() ?? []) ].map((l,i)=> l), });
}
for (const c of LAYER_CASES) for (const form of (c.inputCount ? ['functional'] : ['sequential','functional'])) {
  let m;
  try {
    if (form === 'sequential') {
      m = tf.sequential();
      const first = c.layer();
      // inputShape must be given at construction: rebuild using config
      const cfg = first.getConfig(); 
      const cls = first.constructor;
      const l = new cls({ ...first.constructorArgs, ...{} });
      m = null;
      const inputs = tf.input({ shape: c.inputShape });
      throw new Error('skip');
    }
  } catch {}
  try {
    const ins = Array.from({length: c.inputCount ?? 1}, (_, i) => tf.input({ shape: [...c.inputShape], name: `in_${i}`, dtype: c.ids ? 'int32' : 'float32' }));
    let x = c.layer().apply(ins.length === 1 ? ins[0] : ins);
    for (const l of c.then?.() ?? []) x = l.apply(x);
    m = tf.model({ inputs: ins, outputs: x });
    const g = toGraph(m); const r = await fromGraph(g);
    const xs = ins.map((_, i) => c.ids ? tf.randomUniformInt([3, ...c.inputShape], 0, c.ids, {seed: i}) : tf.randomUniform([3, ...c.inputShape], -1, 1, 'float32', i));
    const a = m.predict(xs.length===1?xs[0]:xs), b = r.predict(xs.length===1?xs[0]:xs);
    const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    console.log(d === 0 ? 'OK' : 'DIFF '+d, form, c.name);
  } catch (e) { console.log('FAIL', form, c.name, e.message.slice(0, 300)); }
}
