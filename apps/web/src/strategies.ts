import type { SurgeryStrategy } from '@graft/core';
import { convGate } from '@graft/conv-gate';
import { convIdentity } from '@graft/conv-identity';
import { denseIdentity } from '@graft/dense-identity';
import { residual } from '@graft/residual';
import { widen } from '@graft/widen';

/** The strategies the page offers, each with its defaults — a plain list, like the CLI's registry. */
export function pageStrategies(): SurgeryStrategy[] {
  return [denseIdentity(), convIdentity(), convGate(), residual(), widen()];
}
