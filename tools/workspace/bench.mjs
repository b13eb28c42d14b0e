#!/usr/bin/env node
// `npm run bench`: every bench model (seed, seed-conv-gate, tiny-gpt), each in its own process beside its PyTorch
// peer from ../shared/peers (measured in the same run), then `graft grow` on a ~67M-parameter model. Each model is
// timed on one worker (the engine's own loop) and, when @graft/train's train() picks more than one worker for it,
// through train() on that many workers; `graft` (with its `workers` and `peakRssMiB`) is the faster of the two, and
// `graftOneWorker` and `graftWorkers` keep both. With --json, ONE JSON object: `{ runs: [{ model, unit, graft, torch,
// ratio, workers, peakRssMiB, … }], surgery: { params, seconds, peakRssMiB } }`. Options: --models a,b (subset),
// --one-worker, --no-surgery, --train-vs-fit (adds train() vs fit()), and the engine bench's own (--backend,
// --steps, --warmup, --batch-size, --no-torch), passed to every model.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureSurgery } from './bench-surgery.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MODELS = ['seed', 'seed-conv-gate', 'tiny-gpt'];
const PYTHON = '/usr/bin/python3';

const args = process.argv.slice(2);
const take = (flag) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value ?? '';
};
const json = args.includes('--json');
const flag = (name) => {
  const at = args.indexOf(name);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
};
const surgery = !flag('--no-surgery');
const oneWorker = flag('--one-worker');
const trainVsFitWanted = flag('--train-vs-fit');
const modelsArg = take('--models');
const models = modelsArg === undefined ? MODELS : modelsArg.split(',').map((m) => m.trim());
const unknown = models.filter((m) => !MODELS.includes(m));
if (unknown.length > 0) {
  process.stderr.write(`--models takes ${MODELS.join(', ')}; unknown: ${unknown.join(', ')}.\n`);
  process.exit(2);
}
const engineArgs = args.filter((a) => a !== '--json');
if (args.includes('--help') || args.includes('-h')) {
  spawnSync(process.execPath, [path.join(root, 'packages/engine/dist/bench/main.js'), '--help'], { stdio: 'inherit' });
  process.stdout.write('npm run bench also takes --models a,b, --one-worker, --no-surgery and --train-vs-fit.\n');
  process.exit(0);
}
if (!engineArgs.includes('--no-torch')) {
  const torch = existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }) : undefined;
  if (torch?.status !== 0) {
    process.stderr.write(`bench: PyTorch is missing (${PYTHON} ${torch === undefined ? 'not found' : 'cannot import torch'}); ` +
      'the torch and ratio fields will be null. Install it with: apt-get update && apt-get install -y python3-torch\n');
  }
}

/** Passes --backend, --steps and --batch-size on to the workers run. */
const passOn = (name) => {
  const at = engineArgs.indexOf(name);
  return at >= 0 ? [name, engineArgs[at + 1]] : [];
};

/** Times `model` through train() when it picks more than one worker; the faster figure becomes the run's `graft`. */
function withWorkers(run, model) {
  const child = spawnSync(
    process.execPath,
    [path.join(root, 'tools/workspace/bench-workers.mjs'), '--model', model, ...passOn('--backend'), ...passOn('--steps'), ...passOn('--batch-size')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (child.status !== 0) {
    run.workersSkipped = `train() with workers failed: ${child.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${child.status}`}`;
    return;
  }
  const result = JSON.parse(child.stdout.trim().split('\n').pop());
  run.workersWhy = result.why;
  if (result.workers === 1) return;
  run.graftOneWorker = run.graft;
  run.graftWorkers = { workers: result.workers, graft: result.throughput, peakRssMiB: result.peakRssMiB };
  // The faster of the two is graft's figure; both stay in the report.
  if (result.throughput <= run.graft) return;
  run.graft = result.throughput;
  run.workers = result.workers;
  run.peakRssMiB = result.peakRssMiB;
  run.ratio = run.torch === null ? null : Math.round((run.graft / run.torch) * 100) / 100;
}

const runs = [];
for (const model of models) {
  const child = spawnSync(process.execPath, [path.join(root, 'packages/engine/dist/bench/main.js'), '--model', model, '--json', ...engineArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (child.status !== 0) process.exit(child.status ?? 1);
  const run = JSON.parse(child.stdout.trim().split('\n').pop());
  if (!oneWorker) withWorkers(run, model);
  runs.push(run);
  if (!json) {
    const torch = run.torch === null ? `torch skipped: ${run.torchSkipped}` : `torch ${run.torch.toFixed(1)} (${run.torchThreads} threads), ratio ${run.ratio}×`;
    process.stdout.write(`${model.padEnd(15)} graft ${run.graft.toFixed(1).padStart(9)} ${run.unit}, ${torch}; workers ${run.workers}, peak RSS ${run.peakRssMiB} MiB\n`);
  }
}

const report = { runs, backend: runs[0]?.backend, backendLine: runs[0]?.backendLine };
if (surgery) {
  report.surgery = measureSurgery();
  if (!json) {
    const s = report.surgery;
    process.stdout.write(s.skipped !== undefined ? `surgery skipped: ${s.skipped}\n` : `surgery         graft grow on ${s.params} params (${s.weightsMiB} MiB of weights): ${s.seconds} s, peak RSS ${s.peakRssMiB} MiB\n`);
  }
}
if (trainVsFitWanted) {
  // train() vs fit() runs in this process on the backend the engine picks (its WASM training kernels included).
  const { useBestBackend } = await import(pathToFileURL(path.join(root, 'packages/engine/dist/index.js')).href);
  const { benchTrainVsFit } = await import(pathToFileURL(path.join(root, 'packages/train/dist/bench/main.js')).href);
  const backendIndex = engineArgs.indexOf('--backend');
  await useBestBackend(backendIndex >= 0 ? engineArgs[backendIndex + 1] : undefined);
  report.trainVsFit = await benchTrainVsFit(150, 2);
  if (!json) {
    const r = report.trainVsFit;
    process.stdout.write(`train() vs fit() on ${r.backend}: ${r.trainSamplesPerSecond.toFixed(0)} vs ${r.fitSamplesPerSecond.toFixed(0)} samples/s (ratio ${r.ratio.toFixed(2)})\n`);
  }
}
if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
