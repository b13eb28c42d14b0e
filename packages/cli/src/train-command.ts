import { Option, type Command } from 'commander';
import { BACKEND_NAMES } from '@graft/engine';
import { trainCommand, type TrainCommandOptions } from './commands/train.js';
import type { CliIO } from './io.js';
import { integerAtLeast, positiveNumber, trainableSpec, workersSpec } from './option-parsers.js';

/** Adds `graft train` (kept apart from the other commands: it alone needs data sets, training and backends). */
export function addTrainCommand(program: Command, io: CliIO): void {
  program
    .command('train')
    .description('train a model on MNIST or Fashion-MNIST and save it (all layers, only the new ones, or named ones)')
    .argument('<model.json>', 'a model with one [28,28,1] or [784] input and a softmax output over 10 classes (never modified)')
    .addOption(new Option('--data <name>', 'the data set').choices(['mnist', 'fashion-mnist']).makeOptionMandatory())
    .requiredOption('--epochs <n>', 'number of epochs', integerAtLeast(1))
    .requiredOption('--out <dir>', 'a new or empty folder for the trained model (written atomically)')
    .option('--train <layers>', 'which layers train: all, new (those graft added), or names separated by commas', trainableSpec, 'all')
    .option('--unfreeze-after <k>', 'train only --train layers for k epochs, then every layer', integerAtLeast(0))
    .option('--limit <n>', 'use the first n training images (and at most n test images)', integerAtLeast(1))
    .option('--batch-size <b>', 'samples per gradient step', integerAtLeast(1), 32)
    .option('--lr <x>', 'learning rate (Adam)', positiveNumber, 1e-3)
    .addOption(new Option('--backend <name>', 'force a backend (default: the fastest available)').choices(BACKEND_NAMES))
    .option('--seed <n>', 'shuffling seed, for reproducible runs', integerAtLeast(0))
    .option('--workers <n>', 'training threads: auto (every core when the model is large enough to gain) or a number; 1 trains on the main thread', workersSpec, 'auto')
    .option('--json', 'print { backend, workers, epochs: [per-epoch stats], out }; progress still goes to stderr')
    .addHelpText('after', '\nExample:\n  $ graft train grown/model.json --data mnist --epochs 2 --train new --unfreeze-after 1 --out trained\n')
    .action((file: string, options: TrainCommandOptions) => trainCommand(file, options, io));
}
