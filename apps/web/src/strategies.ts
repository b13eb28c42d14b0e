import type { SurgeryStrategy } from '@graft/core';
import { addHeads } from '@graft/add-heads';
import { blockCopy } from '@graft/block-copy';
import { convGate } from '@graft/conv-gate';
import { convIdentity } from '@graft/conv-identity';
import { denseIdentity } from '@graft/dense-identity';
import { hyperclone } from '@graft/hyperclone';
import { residual } from '@graft/residual';
import { widen } from '@graft/widen';

/** The strategies the page offers, each with its defaults — the same list, in the same order, as the CLI's registry. */
export function pageStrategies(): SurgeryStrategy[] {
  return [denseIdentity(), convIdentity(), convGate(), residual(), widen(), blockCopy(), hyperclone(), addHeads()];
}
