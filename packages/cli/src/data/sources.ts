import { promises as fs } from 'node:fs';
import { GraftError } from '@graft/core';
import { csvSource } from './csv-source.js';
import type { DataRequest, DataSourceKind, OpenedData } from './data-source.js';
import { imageFolderSource } from './image-folder-source.js';
import { mnistSource } from './mnist-source.js';
import { textSource } from './text-source.js';

/**
 * Every kind of `--data` source, tried in order; the first whose `matches` accepts the value opens it. A new kind
 * (e.g. a `.txt` corpus for language models) is a {@link DataSourceKind} in its own file and one line here.
 */
export const DATA_SOURCES: readonly DataSourceKind[] = [mnistSource, csvSource, textSource, imageFolderSource];

/** The kinds, as `--data`'s help and refusal list them. */
export function describeSources(kinds: readonly DataSourceKind[] = DATA_SOURCES): string {
  const names = kinds.map((kind) => kind.accepts);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) as string}`;
}

/**
 * Opens `--data` for `request.model` with the first kind that accepts it.
 *
 * @throws GraftError `INVALID_ARGUMENT` when no kind accepts the value (the kinds listed), and whatever the kind
 * throws for data or a model that does not fit.
 */
export async function openData(request: Omit<DataRequest, 'stat'>, kinds: readonly DataSourceKind[] = DATA_SOURCES): Promise<OpenedData> {
  const stat = await fs.stat(request.source).catch(() => undefined);
  const kind = kinds.find((candidate) => candidate.matches(request.source, stat));
  if (kind === undefined) {
    throw new GraftError('INVALID_ARGUMENT', `--data ${request.source} is not a data source; expected ${describeSources(kinds)}.`);
  }
  return kind.open({ ...request, stat });
}
