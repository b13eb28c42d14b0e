import type { Stats } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import type { BatchSource, TaskName } from '@graft/train';

/** What `graft train` / `graft evaluate` ask of a `--data` source. */
export interface DataRequest {
  /** The `--data` value. */
  readonly source: string;
  /** What `fs.stat` found at `source` (undefined when nothing is there, as for `mnist`). */
  readonly stat: Stats | undefined;
  /** The model the data must fit (never modified). */
  readonly model: tf.LayersModel;
  /** `--label`, when given. */
  readonly label: string | undefined;
  /** `--validation-split`, when given (training only). */
  readonly validationSplit: number | undefined;
  /** Seed of the validation split. */
  readonly seed: number;
  /** `--context`, when given: the window length a text source must cut (it must be the model's context). */
  readonly context?: number | undefined;
  /** `--limit`, when given: the first N samples. */
  readonly limit: number | undefined;
  /** Training wants a train/test pair; evaluation wants all the data given, as `train`. */
  readonly purpose: 'train' | 'evaluate';
}

/** A `--data` source opened for a model: checked against it, ready for `train()` or `evaluate()`. */
export interface OpenedData {
  /** How the data is named in messages: `mnist`, `iris.csv`. */
  readonly name: string;
  readonly task: TaskName;
  /** The training data, or for evaluation all the data. */
  readonly train: BatchSource;
  /** Held-out data whose metrics fill the per-epoch `test*` fields. */
  readonly test?: BatchSource;
  /** Class names in output-unit order, to keep in the saved model's metadata. */
  readonly classes?: readonly string[];
  /** Something the reader changes in the data as it reads it, said once before training. */
  readonly note?: string;
}

/**
 * One kind of `--data` source. The CLI tries the kinds in {@link DATA_SOURCES} order and opens `source` with the
 * first that accepts it; adding a kind (a `.txt` corpus) is one file and one line in that list.
 */
export interface DataSourceKind {
  /** What it accepts, for the refusal that lists every kind: `a .csv or .tsv file`. */
  readonly accepts: string;
  /** One example line for help texts. */
  readonly example: string;
  /** Whether this kind reads `source` (by name, extension, or what is on disk). */
  matches(source: string, stat: Stats | undefined): boolean;
  /**
   * Reads the data and checks it fits the model.
   *
   * @throws GraftError (exit 2) for data or a model that does not fit, before anything is trained or written.
   */
  open(request: DataRequest): Promise<OpenedData>;
}
