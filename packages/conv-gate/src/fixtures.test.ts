import { expectExactAtEverySite } from '@graft/conformance/testing';
import { fixtures } from '@graft/fixtures';
import { describe, it } from 'vitest';
import { convGate } from './conv-gate.js';
import { GATES } from './options.js';

// Every fixture at every offered site, every gate: the grown model must predict bit for bit the same, leave the
// source model's weights alone and leak no tensors.
describe('conv-gate on every fixture', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    await expectExactAtEverySite(fixture, Object.fromEntries(GATES.map((gate) => [gate, convGate({ gate })])));
  });
});
