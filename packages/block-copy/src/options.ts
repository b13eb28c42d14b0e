import type { OptionField, ResolvedOptions } from '@graft/core';

/** Options of {@link blockCopy}; the same keys may be given per call of `grow` (or `--set` on the CLI). */
export interface BlockCopyOptions {
  /**
   * A residual Add whose branch is copied instead of the site's own (its stream must have the site's output
   * shape). The copy still goes right after the site.
   */
  readonly source?: string;
  /**
   * A later residual Add along the same stream: the whole span from `source` (or the site) through it is copied
   * as one block, e.g. a transformer block's attention Add through its MLP Add.
   */
  readonly through?: string;
}

const layerName: OptionField<string> = {
  expected: 'the name of a residual Add layer',
  read: (given) => (typeof given === 'string' && given.length > 0 ? { ok: true, value: given } : { ok: false }),
};

export const OPTIONS = { source: layerName, through: layerName };

export const DEFAULTS = { source: undefined, through: undefined } as const;

/** Options after merging: each undefined unless given. */
export type Resolved = ResolvedOptions<typeof OPTIONS, typeof DEFAULTS>;
