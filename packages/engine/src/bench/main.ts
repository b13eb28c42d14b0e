import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { isGraftError } from '@graft/core';
import { describeBackend } from '../backend/describe-backend.js';
import { useBestBackend } from '../backend/use-best-backend.js';
import { BENCH_USAGE, parseBenchArgs } from './args.js';
import { timeTraining } from './time-training.js';
import { runTorchPeer } from './torch-peer.js';
import { WORKLOADS } from './workloads.js';

/** packages/engine/dist/bench → repository root; the peers live in ../shared/peers next to it (or GRAFT_PEERS). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const PEERS = process.env['GRAFT_PEERS'] ?? resolve(REPO_ROOT, '../shared/peers');

const round1 = (value: number): number => Math.round(value * 10) / 10;

async function main(argv: readonly string[]): Promise<void> {
  const args = parseBenchArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return;
  }
  const workload = WORKLOADS[args.model];
  const sizes = {
    steps: args.steps ?? workload.defaults.steps,
    warmupSteps: args.warmupSteps ?? workload.defaults.warmupSteps,
    batchSize: args.batchSize ?? workload.defaults.batchSize,
  };
  const resolution = await useBestBackend(args.backend);
  const backendLine = describeBackend(resolution);
  (args.json ? process.stderr : process.stdout).write(`${backendLine}\n`);

  const timing = await timeTraining(workload, sizes);
  // Peak RSS of this process only: the PyTorch peer runs afterwards, in its own process.
  const peakRssMiB = round1(process.resourceUsage().maxRSS / 1024);
  const peer = resolve(PEERS, workload.peer.script);
  const torch = args.torch
    ? await runTorchPeer(peer, REPO_ROOT, { args: workload.peer.args, field: workload.peer.field })
    : ({ ok: false, reason: '--no-torch was given' } as const);
  const graft = round1(timing.throughput);
  const report = {
    model: workload.model,
    unit: workload.unit,
    graft,
    torch: torch.ok ? torch.result.throughput : null,
    ratio: torch.ok ? Math.round((graft / torch.result.throughput) * 100) / 100 : null,
    workers: 1,
    peakRssMiB,
    backend: resolution.name,
    backendLine,
    ...sizes,
    seconds: Math.round(timing.seconds * 100) / 100,
    finalLoss: Math.round(timing.finalLoss * 1e4) / 1e4,
    numTensors: timing.numTensors,
    torchThreads: torch.ok ? torch.result.threads : null,
    ...(torch.ok ? {} : { torchSkipped: torch.reason }),
    cpus: availableParallelism(),
    node: process.version,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(
    `graft   ${report.model.padEnd(15)} ${graft.toFixed(1).padStart(9)} ${report.unit}  ` +
      `(${sizes.steps} steps × ${sizes.batchSize} after ${sizes.warmupSteps} warm-up; peak RSS ${peakRssMiB} MiB)\n` +
      (torch.ok
        ? `torch   ${report.model.padEnd(15)} ${torch.result.throughput.toFixed(1).padStart(9)} ${report.unit}  (${torch.result.threads ?? '?'} threads)\n` +
          `ratio   ${report.ratio}× PyTorch\n`
        : `torch   skipped: ${torch.reason}\n`),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = isGraftError(error) ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error);
  process.stderr.write(`bench failed: ${message}\n`);
  process.exitCode = isGraftError(error, 'INVALID_ARGUMENT') ? 2 : 1;
});
