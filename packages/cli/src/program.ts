import { createRequire } from 'node:module';
import { Command } from 'commander';
import { growCommand } from './commands/grow.js';
import { inspectCommand } from './commands/inspect.js';
import { strategiesCommand } from './commands/strategies.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT_FAILED } from './exit-codes.js';
import type { CliIO } from './io.js';
import { collectKeyValue, integerAtLeast, positiveNumber } from './option-parsers.js';
import { addTrainCommand } from './train-command.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const example = (...lines: string[]): string => `\nExample:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;

/** What an action reports besides throwing: verify's "not preserved" is a result, not an error. */
export interface RunState {
  exitCode: number;
}

/**
 * The `graft` command tree. Commander throws instead of exiting (`exitOverride`) so the caller maps every failure
 * to graft's exit codes in one place, and writes through `io` so tests and embedders can capture output.
 */
export function createProgram(io: CliIO, state: RunState): Command {
  const program = new Command('graft')
    .description('Grow trained TensorFlow.js models: insert layers that keep predictions exactly, then keep training.')
    .version(version, '-V, --version')
    .option('--debug', 'on errors, also print the stack trace and messages from tfjs')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showSuggestionAfterError()
    .addHelpText('after', example('graft inspect trained/model.json', 'graft grow trained/model.json --strategy dense-identity --after hidden --out grown'));

  program
    .command('strategies')
    .description('list every installed growth strategy')
    .option('--json', 'print [{ name, description }] as JSON')
    .addHelpText('after', example('graft strategies --json'))
    .action((options: { json?: boolean }) => strategiesCommand(options, io));

  program
    .command('inspect')
    .description("show a model's layers and, per strategy, the layers after which it applies exactly")
    .argument('<model.json>', 'a tfjs layers model (model.json, or the folder holding it)')
    .option('--json', 'print { layers: [{ name, className, outputShape, params }], sites: { <strategy>: [<layer>, …] } }')
    .addHelpText('after', example('graft inspect trained/model.json', 'graft inspect trained/model.json --json'))
    .action((file: string, options: { json?: boolean }) => inspectCommand(file, options, io));

  program
    .command('grow')
    .description('insert layers after a layer, check that predictions are unchanged, and save the grown model')
    .argument('<model.json>', 'the trained model to grow (never modified)')
    .requiredOption('--strategy <name>', 'a strategy from `graft strategies`')
    .option('--after <layer>', 'a layer `graft inspect` lists as a site of the strategy (omit, or give "*", for a model-wide strategy)')
    .requiredOption('--out <dir>', 'a new or empty folder for the grown model (written atomically)')
    .option('--set <key=value>', 'a strategy option, e.g. units=32 (repeatable)', collectKeyValue)
    .option('--json', 'print { strategy, after, out, added, maxAbsDiff }')
    .addHelpText('after', example('graft grow trained/model.json --strategy dense-identity --after hidden --set units=32 --out grown'))
    .action((file: string, options: Parameters<typeof growCommand>[1]) => growCommand(file, options, io));

  program
    .command('verify')
    .description('compare two models on the same seeded random inputs; exit 1 when predictions differ')
    .argument('<a>', "the first model's model.json")
    .argument('<b>', "the second model's model.json")
    .option('--samples <n>', 'number of random inputs', integerAtLeast(1), 64)
    .option('--tolerance <t>', 'allowed max |a − b| relative to max |a|, per output', positiveNumber, 1e-5)
    .option('--json', 'print { maxAbsDiff, argmaxAgreement (fraction 0..1), samples }')
    .addHelpText('after', example('graft verify trained/model.json grown/model.json --samples 128'))
    .action(async (a: string, b: string, options: Parameters<typeof verifyCommand>[2]) => {
      if (!(await verifyCommand(a, b, options, io))) state.exitCode = EXIT_FAILED;
    });

  addTrainCommand(program, io);
  return program;
}
