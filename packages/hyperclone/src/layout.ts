/**
 * How a tensor's last axis relates to the source model's: `original` (unchanged), or `cloned`, where position k
 * holds copy `copy[k]` of the source's feature `source[k]`, each source feature appearing exactly `factor` times.
 */
export type Layout =
  | { readonly kind: 'original' }
  | { readonly kind: 'cloned'; readonly source: Int32Array; readonly copy: Int32Array };

export const ORIGINAL: Layout = Object.freeze({ kind: 'original' });

/** `factor` copies of `width` features side by side, `[x, x, …]`: the layout every widened layer outputs. */
export function tiled(width: number, factor: number): Layout {
  const source = new Int32Array(width * factor);
  const copy = new Int32Array(width * factor);
  for (let k = 0; k < source.length; k++) {
    source[k] = k % width;
    copy[k] = Math.floor(k / width);
  }
  return { kind: 'cloned', source, copy };
}

/** The layout of cloned tensors concatenated on their last axis, whose source widths are `widths`. */
export function concatenated(parts: readonly Extract<Layout, { kind: 'cloned' }>[], widths: readonly number[]): Layout {
  const total = parts.reduce((sum, part) => sum + part.source.length, 0);
  const source = new Int32Array(total);
  const copy = new Int32Array(total);
  let at = 0;
  let offset = 0;
  parts.forEach((part, i) => {
    for (let k = 0; k < part.source.length; k++, at++) {
      source[at] = part.source[k]! + offset;
      copy[at] = part.copy[k]!;
    }
    offset += widths[i]!;
  });
  return { kind: 'cloned', source, copy };
}

/** The layout after flattening `[…spatial, C]` with `positions` spatial positions (channels last). */
export function flattened(channels: Extract<Layout, { kind: 'cloned' }>, positions: number, sourceChannels: number): Layout {
  const width = channels.source.length;
  const source = new Int32Array(positions * width);
  const copy = new Int32Array(positions * width);
  for (let p = 0; p < positions; p++) {
    for (let c = 0; c < width; c++) {
      source[p * width + c] = p * sourceChannels + channels.source[c]!;
      copy[p * width + c] = channels.copy[c]!;
    }
  }
  return { kind: 'cloned', source, copy };
}

/** True when two layouts put the same source features, the same copies, at the same positions. */
export function sameLayout(a: Layout, b: Layout): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'original' || b.kind === 'original') return true;
  return a.source.length === b.source.length && a.source.every((s, k) => s === b.source[k] && a.copy[k] === b.copy[k]);
}

/** Width of a layout's axis, given the source width for an original one. */
export function widthOf(layout: Layout, sourceWidth: number): number {
  return layout.kind === 'original' ? sourceWidth : layout.source.length;
}
