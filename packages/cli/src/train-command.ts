import { Option, type Command } from 'commander';
import { BACKEND_NAMES } from '@graft/engine';
import { evaluateCommand, type EvaluateCommandOptions } from './commands/evaluate.js';
import { trainCommand, type TrainCommandOptions } from './commands/train.js';
import { describeSources } from './data/sources.js';
import type { CliIO } from './io.js';
import { fraction, integerAtLeast, positiveNumber, trainableSpec, workersSpec } from './option-parsers.js';

/** Adds `graft train` and `graft evaluate` (kept apart from the other commands: only they need data and training). */
export function addTrainCommand(program: Command, io: CliIO): void {
  const data = `the data: ${describeSources()}`;
  program
    .command('train')
    .description('train a model on MNIST, a CSV/TSV table, an image folder or a .txt file (a character language model) and save it (all layers, only the new ones, or named ones)')
    .argument('<model.json>', 'a model whose input and output fit the data (never modified)')
    .requiredOption('--data <source>', data)
    .option('--label <column>', 'the target column of a CSV/TSV file (default: label)')
    .option('--validation-split <f>', 'fraction of a CSV/TSV file or image folder held out for the test metrics, seeded and stratified; of a .txt file, its last windows (default 0.1; 0: none)', fraction)
    .option('--context <n>', 'a .txt file: characters per window; must be the model\'s context (the default)', integerAtLeast(1))
    .requiredOption('--epochs <n>', 'number of epochs', integerAtLeast(1))
    .requiredOption('--out <dir>', 'a new or empty folder for the trained model (written atomically)')
    .option('--train <layers>', 'which layers train: all, new (those graft added), or names separated by commas', trainableSpec, 'all')
    .option('--unfreeze-after <k>', 'train only --train layers for k epochs, then every layer', integerAtLeast(0))
    .option('--limit <n>', 'use n samples (every class in turn; for MNIST the first n training images and at most n test images)', integerAtLeast(1))
    .option('--batch-size <b>', 'samples per gradient step', integerAtLeast(1), 32)
    .option('--lr <x>', 'learning rate (Adam)', positiveNumber, 1e-3)
    .addOption(new Option('--backend <name>', 'force a backend (default: the fastest available)').choices(BACKEND_NAMES))
    .option('--seed <n>', 'shuffling and validation-split seed, for reproducible runs', integerAtLeast(0))
    .option('--workers <n>', 'training threads: auto (every core when the model is large enough to gain) or a number; 1 trains on the main thread', workersSpec, 'auto')
    .option('--json', 'print { backend, workers, epochs: [per-epoch stats], out }; progress still goes to stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ graft train grown/model.json --data mnist --epochs 2 --train new --unfreeze-after 1 --out trained\n  $ graft train grown/model.json --data iris.csv --label species --epochs 50 --out trained\n  $ graft train grown/model.json --data photos/ --validation-split 0.2 --epochs 5 --out trained\n  $ graft train gpt/model.json --data my-text.txt --epochs 1 --out trained\n',
    )
    .action((file: string, options: TrainCommandOptions) => trainCommand(file, options, io));

  program
    .command('evaluate')
    .description("a model's loss and metrics on data (accuracy and a confusion matrix, or MAE); writes nothing")
    .argument('<model.json>', 'a model whose input and output fit the data (never modified)')
    .requiredOption('--data <source>', `${data} (for MNIST, its test split)`)
    .option('--label <column>', 'the target column of a CSV/TSV file (default: label)')
    .option('--limit <n>', 'use n samples (every class in turn)', integerAtLeast(1))
    .option('--batch-size <b>', 'samples per forward pass', integerAtLeast(1), 256)
    .addOption(new Option('--backend <name>', 'force a backend (default: the fastest available)').choices(BACKEND_NAMES))
    .option('--json', 'print { loss, accuracy?, mae?, confusion?, classes? }')
    .addHelpText('after', '\nExample:\n  $ graft evaluate trained/model.json --data iris.csv --label species --json\n')
    .action((file: string, options: EvaluateCommandOptions) => evaluateCommand(file, options, io));
}
