import { readOptions, type OptionField } from '@graft/core';

/** Options of {@link blockCopy}. */
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

const SPEC = { source: layerName, through: layerName };

/**
 * Merges `raw` (from `grow` or the CLI) over `base` and validates it.
 * @throws GraftError `INVALID_OPTION` naming the option, the value found and what was expected.
 */
export function readBlockCopyOptions(raw: unknown, base: BlockCopyOptions = {}): BlockCopyOptions {
  if (raw === undefined) return base;
  const given = readOptions('block-copy', raw, SPEC, { example: '{ through: "block_0_mlp_add" }' });
  const source = given.source ?? base.source;
  const through = given.through ?? base.through;
  return Object.freeze({ ...(source === undefined ? {} : { source }), ...(through === undefined ? {} : { through }) });
}
