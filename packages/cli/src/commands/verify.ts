import { loadModel } from '@graft/core/node';
import { writeJson, type CliIO } from '../io.js';
import { comparePredictions } from '../predictions.js';

/** Options of `graft verify`, as parsed by commander. */
export interface VerifyOptions {
  readonly samples: number;
  readonly tolerance: number;
  readonly json?: boolean;
}

/** What `graft verify --json` prints. */
export interface VerifyResult {
  readonly maxAbsDiff: number;
  /** Fraction (0..1) of predictions whose argmax agrees. */
  readonly argmaxAgreement: number;
  readonly samples: number;
}

/**
 * `graft verify a b`: compares two models' predictions on the same seeded random inputs.
 * @returns whether the predictions are preserved (the caller exits 1 when not).
 * @throws GraftError `INVALID_ARGUMENT` when the models' input or output shapes differ; model file codes.
 */
export async function verifyCommand(fileA: string, fileB: string, options: VerifyOptions, io: CliIO): Promise<boolean> {
  const a = await loadModel(fileA);
  const b = await loadModel(fileB);
  const comparison = await comparePredictions(a, b, options.samples, options.tolerance);
  a.dispose();
  b.dispose();
  const preserved = comparison.ok;
  const result: VerifyResult = { maxAbsDiff: comparison.maxAbsDiff, argmaxAgreement: comparison.argmaxAgreement, samples: comparison.samples };
  if (options.json === true) writeJson(io, result);
  else {
    io.out(`max |difference|: ${result.maxAbsDiff} (largest |output| ${comparison.maxAbsY}, tolerance ${options.tolerance} relative)\n`);
    io.out(`argmax agreement: ${(100 * result.argmaxAgreement).toFixed(2)}% of ${result.samples} samples\n`);
    if (preserved) io.out('preserved\n');
  }
  if (!preserved) io.err(`error: ${comparison.message} Expected max |difference| ≤ ${options.tolerance} × max |output| and the same argmax everywhere.\n`);
  return preserved;
}
