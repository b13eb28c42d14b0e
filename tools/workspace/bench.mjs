#!/usr/bin/env node
// `npm run bench`: the engine's reference-model throughput (beside PyTorch's, from the same run), then train()
// against tf.LayersModel.fit on the same backend. With --json, ONE JSON object: the engine's fields plus
// `trainVsFit`. Other arguments go to the engine bench (--backend, --steps, --no-torch, ...).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const fitStepsArg = args.indexOf('--fit-steps');
const fitSteps = fitStepsArg >= 0 ? Number(args[fitStepsArg + 1]) : 150;
const engineArgs = fitStepsArg >= 0 ? args.filter((_, i) => i !== fitStepsArg && i !== fitStepsArg + 1) : args;
if (!Number.isInteger(fitSteps) || fitSteps < 2) {
  process.stderr.write(`--fit-steps must be an integer of at least 2; got ${args[fitStepsArg + 1]}.\n`);
  process.exit(2);
}

const engine = spawnSync(process.execPath, [path.join(root, 'packages/engine/dist/bench/main.js'), ...engineArgs], {
  cwd: root,
  stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
  encoding: 'utf8',
});
if (engine.status !== 0 || args.includes('--help') || args.includes('-h')) process.exit(engine.status ?? 1);

// train() vs fit() runs in this process on the backend the engine picks (its WASM training kernels included).
const { useBestBackend } = await import(pathToFileURL(path.join(root, 'packages/engine/dist/index.js')).href);
const { benchTrainVsFit } = await import(pathToFileURL(path.join(root, 'packages/train/dist/bench/main.js')).href);
const backendIndex = engineArgs.indexOf('--backend');
await useBestBackend(backendIndex >= 0 ? engineArgs[backendIndex + 1] : undefined);
const trainVsFit = await benchTrainVsFit(fitSteps, 2);

if (json) {
  process.stdout.write(`${JSON.stringify({ ...JSON.parse(engine.stdout), trainVsFit })}\n`);
} else {
  const r = trainVsFit;
  process.stdout.write(
    `\ntrain() vs tf.LayersModel.fit on ${r.backend}, ${r.steps} steps: train() ${r.trainSamplesPerSecond.toFixed(0)} samples/s, ` +
      `fit ${r.fitSamplesPerSecond.toFixed(0)} samples/s (ratio ${r.ratio.toFixed(2)}; above 1 means train() is faster)\n`,
  );
}
