import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { isGraftError } from '@graft/core';
import { describeBackend } from '../backend/describe-backend.js';
import { useBestBackend } from '../backend/use-best-backend.js';
import { BENCH_USAGE, parseBenchArgs } from './args.js';
import { runTorchPeer } from './torch-peer.js';
import { timeReferenceTraining } from './train-reference.js';

/** packages/engine/dist/bench → repository root. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const TORCH_PEER = resolve(REPO_ROOT, '../shared/peers/seed_torch.py');

const round1 = (value: number): number => Math.round(value * 10) / 10;

async function main(argv: readonly string[]): Promise<void> {
  const args = parseBenchArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return;
  }
  const resolution = await useBestBackend(args.backend);
  const backendLine = describeBackend(resolution);
  if (args.json) process.stderr.write(`${backendLine}\n`);
  else process.stdout.write(`${backendLine}\n`);

  const timing = await timeReferenceTraining(args);
  const graft = {
    backend: resolution.name,
    package: resolution.package,
    samplesPerSecond: round1(timing.samplesPerSecond),
    peakRssMiB: round1(process.resourceUsage().maxRSS / 1024),
    steps: args.steps,
    batchSize: args.batchSize,
    warmupSteps: args.warmupSteps,
    seconds: round1(timing.seconds * 100) / 100,
    finalLoss: Math.round(timing.finalLoss * 1e4) / 1e4,
    numTensors: timing.numTensors,
    cpus: availableParallelism(),
    node: process.version,
  };
  if (!args.json) {
    process.stdout.write(
      `graft   ${graft.backend.padEnd(10)} ${graft.samplesPerSecond.toFixed(1).padStart(9)} samples/s  ` +
        `(${graft.steps} steps × ${graft.batchSize} after ${graft.warmupSteps} warm-up; peak RSS ${graft.peakRssMiB} MiB)\n`,
    );
  }

  const torch = args.torch ? await runTorchPeer(TORCH_PEER, REPO_ROOT) : ({ ok: false, reason: '--no-torch was given' } as const);
  // On a shared machine torch's default (all cores) run suffers most from contention; one thread is a useful
  // second reference next to graft's single-threaded wasm.
  const torchOneThread = torch.ok && torch.result['threads'] !== 1 ? await runTorchPeer(TORCH_PEER, REPO_ROOT, ['--threads', '1']) : undefined;
  const ratioToTorch = torch.ok ? Math.round((graft.samplesPerSecond / torch.result.samplesPerSecond) * 100) / 100 : null;
  if (args.json) {
    const report = {
      ...graft,
      backendLine,
      torch: torch.ok ? torch.result : null,
      ...(torch.ok ? {} : { torchSkipped: torch.reason }),
      ratioToTorch,
      ...(torchOneThread?.ok === true ? { torchOneThread: torchOneThread.result } : {}),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  if (torch.ok) {
    const threads = typeof torch.result['threads'] === 'number' ? `${torch.result['threads']} threads` : 'threads unknown';
    process.stdout.write(
      `torch   ${(typeof torch.result['torch'] === 'string' ? torch.result['torch'] : '').padEnd(10)} ${torch.result.samplesPerSecond.toFixed(1).padStart(9)} samples/s  (${threads})\n` +
        (torchOneThread?.ok === true ? `torch   1 thread   ${torchOneThread.result.samplesPerSecond.toFixed(1).padStart(9)} samples/s\n` : '') +
        `ratio   ${ratioToTorch}× PyTorch\n`,
    );
  } else {
    process.stdout.write(`torch   skipped: ${torch.reason}\n`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = isGraftError(error) ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error);
  process.stderr.write(`bench failed: ${message}\n`);
  process.exitCode = 1;
});
