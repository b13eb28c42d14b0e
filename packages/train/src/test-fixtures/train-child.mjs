// Child process of checkpoint-kill.test.ts: trains with checkpoints and reports each batch of epoch 2 on stdout,
// slowly, so the parent can SIGKILL it in the middle of that epoch. Needs a build first (imports dist).
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '@graft/datasets';
import { train } from '../../dist/index.js';
import { checkpointFolder } from '../../dist/node/index.js';
import { buildTinyModel, KILL_LIMIT, KILL_RUN } from './tiny-model.mjs';

const checkpointDir = process.argv[2];
await tf.setBackend('cpu');
const data = await loadMnist({ limit: KILL_LIMIT });
await train(buildTinyModel(tf), data, {
  ...KILL_RUN,
  checkpoint: checkpointFolder(checkpointDir),
  onBatchEnd: async ({ epoch, batch }) => {
    if (epoch < 2) return;
    process.stdout.write(`epoch ${epoch} batch ${batch}\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  },
});
process.stdout.write('finished\n');
