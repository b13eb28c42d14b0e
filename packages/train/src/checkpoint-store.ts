/** The files of one checkpoint by name (`model.json`, `weights.bin`, `optimizer.bin`, `state.json`). */
export type CheckpointFiles = ReadonlyMap<string, Uint8Array>;

/** A checkpoint as a store hands it back: its files, and where they were, for messages. */
export interface StoredCheckpoint {
  /** Where the files were read from (a folder, a database key): error messages name `<location>/<file>`. */
  readonly location: string;
  readonly files: CheckpointFiles;
}

/**
 * Where {@link train} keeps its latest checkpoint. `write` replaces the previous checkpoint as a whole: after it
 * resolves, `read` returns the new files; if it is interrupted, `read` returns the old ones or the new ones, never a
 * mix. `@graft/train/node` has `checkpointFolder(dir)`; in a browser, implement it over IndexedDB or memory.
 */
export interface CheckpointStore {
  /** Where the checkpoint lives, for messages. */
  readonly location: string;
  /**
   * The latest whole checkpoint, or undefined when there is none.
   *
   * @throws GraftError `CHECKPOINT_INVALID` when something is there that is not a checkpoint.
   */
  read(): Promise<StoredCheckpoint | undefined>;
  /**
   * Replaces the checkpoint with `files`, atomically.
   *
   * @throws GraftError `IO_FAILED` when the files cannot be written.
   */
  write(files: CheckpointFiles): Promise<void>;
}

/** A store in memory (for tests, or a page that keeps the checkpoint only while it is open). */
export function memoryCheckpoint(location = 'memory'): CheckpointStore {
  let current: CheckpointFiles | undefined;
  return {
    location,
    read: () => Promise.resolve(current === undefined ? undefined : { location, files: current }),
    write: (files) => {
      current = new Map(files);
      return Promise.resolve();
    },
  };
}
