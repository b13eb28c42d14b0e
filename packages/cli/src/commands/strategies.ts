import { table, writeJson, type CliIO } from '../io.js';
import { createStrategy, strategyNames } from '../strategies.js';

/** One entry of `graft strategies --json`. */
export interface StrategyEntry {
  readonly name: string;
  readonly description: string;
}

/** `graft strategies`: every registered strategy with its one-sentence description. */
export function strategiesCommand(options: { json?: boolean }, io: CliIO): void {
  const entries: StrategyEntry[] = strategyNames().map((name) => ({ name, description: createStrategy(name).description }));
  if (options.json === true) return writeJson(io, entries);
  io.out(table(entries.map((e) => [e.name, e.description])));
}
