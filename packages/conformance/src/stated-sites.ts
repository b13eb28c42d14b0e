import { findSites, GraftError, grow, isGraftError, MODEL_WIDE_SITE, type ModelGraph, type StrategyOptions, type SurgeryStrategy } from '@graft/core';
import { fixtures } from '@graft/fixtures';
import type * as tf from '@tensorflow/tfjs';
import { messageOf } from './model-tensors.js';

/**
 * What a strategy states about one fixture, as ESLint's RuleTester asks a rule for its valid and invalid cases:
 * every site it offers there (no fewer, no more), and some layers it refuses with words of the reason.
 */
export interface FixtureSites {
  /** Exactly the sites the strategy offers on the fixture, in any order (`['*']` for a model-wide strategy). */
  readonly offers: readonly string[];
  /** Layers it must refuse, each with words its reason (from `explain` and from `grow`'s error) must contain. */
  readonly refuses?: Readonly<Record<string, string>>;
}

/** Per fixture name, what the strategy states: the fixtures a conformance run checks are exactly these. */
export type StatedSites = Readonly<Record<string, FixtureSites>>;

/** The names of the dense-chain fixtures (one per activation: relu, tanh, sigmoid, linear, softmax). */
export const DENSE_CHAINS: readonly string[] = fixtures.map((f) => f.name).filter((name) => name.startsWith('dense-chain-'));

/**
 * One statement for several fixtures, to spread into {@link StatedSites} where a strategy treats them alike:
 * `{ ...statedForEach(DENSE_CHAINS, { offers: ['dense_1', 'dense_3'] }), 'mnist-reference': { … } }`.
 */
export function statedForEach(fixtureNames: readonly string[], sites: FixtureSites): StatedSites {
  return Object.fromEntries(fixtureNames.map((name) => [name, sites]));
}

/** What {@link checkStatedSites} found. */
export interface StatedSitesResult {
  readonly ok: boolean;
  /** Stated sites the strategy does not offer. */
  readonly missing: readonly string[];
  /** Sites the strategy offers that were not stated. */
  readonly unexpected: readonly string[];
  readonly message: string;
}

/**
 * Check 0 of every fixture: the strategy offers exactly the stated sites. A strategy that silently stops offering a
 * site (or starts offering one nobody checked) fails here, naming the difference.
 */
export function checkStatedSites(graph: ModelGraph, strategy: SurgeryStrategy, stated: FixtureSites): StatedSitesResult {
  const offered = findSites(graph, strategy);
  const missing = stated.offers.filter((site) => !offered.includes(site));
  const unexpected = offered.filter((site) => !stated.offers.includes(site));
  const ok = missing.length === 0 && unexpected.length === 0;
  const problems = [
    missing.length === 0 ? '' : `does not offer the stated ${missing.map((s) => `"${s}"`).join(', ')}`,
    unexpected.length === 0 ? '' : `offers ${unexpected.map((s) => `"${s}"`).join(', ')}, which the conformance call does not state`,
  ].filter((p) => p !== '');
  const message = ok ? `Offers exactly the ${offered.length} stated site(s).` : `"${strategy.name}" ${problems.join(' and ')} on "${graph.name}" (offers: ${offered.join(', ') || 'none'}).`;
  return { ok, missing, unexpected, message };
}

/** What {@link checkStatedRefusals} found. */
export interface StatedRefusalsResult {
  readonly ok: boolean;
  /** `layer: problem` for every stated refusal that did not happen as stated. */
  readonly problems: readonly string[];
  readonly message: string;
}

/**
 * Each stated refusal happens, for the stated reason: the layer is not offered, `explain` (when the strategy has
 * one) gives a reason containing the stated words, and `grow` there throws a `GraftError` whose message contains them.
 */
export async function checkStatedRefusals(source: tf.LayersModel, graph: ModelGraph, strategy: SurgeryStrategy, stated: FixtureSites, options?: StrategyOptions): Promise<StatedRefusalsResult> {
  const offered = findSites(graph, strategy);
  const problems: string[] = [];
  for (const [layer, words] of Object.entries(stated.refuses ?? {})) {
    if (offered.includes(layer)) {
      problems.push(`${layer}: offered, but stated as refused ("${words}")`);
      continue;
    }
    const reason = strategy.explain?.(graph, layer);
    if (strategy.explain !== undefined && !(reason ?? '').includes(words)) problems.push(`${layer}: explain gives ${JSON.stringify(reason)}, without "${words}"`);
    try {
      const grown = await grow(source, strategy, { after: layer }, options);
      grown.model.dispose();
      problems.push(`${layer}: grow returned a model`);
    } catch (error) {
      if (!isGraftError(error)) problems.push(`${layer}: grow threw ${messageOf(error)}, not a GraftError`);
      else if (!error.message.includes(words)) problems.push(`${layer}: grow's error "${error.message}" does not say "${words}"`);
    }
  }
  const count = Object.keys(stated.refuses ?? {}).length;
  return { ok: problems.length === 0, problems, message: problems.length === 0 ? `Refused the ${count} stated layer(s) for the stated reasons.` : `${problems.join('; ')}.` };
}

/**
 * Checks that every stated site and refused layer exists in its fixture, so a typo cannot make a check vacuous.
 * @throws GraftError `INVALID_ARGUMENT` naming the fixture and the unknown layer.
 */
export function assertStatedLayersExist(fixture: string, graph: ModelGraph, stated: FixtureSites): void {
  const names = new Set([...graph.nodes.map((n) => n.name), MODEL_WIDE_SITE]);
  for (const layer of [...stated.offers, ...Object.keys(stated.refuses ?? {})]) {
    if (!names.has(layer)) {
      throw new GraftError('INVALID_ARGUMENT', `The conformance call states layer "${layer}" for fixture "${fixture}", which has no such layer. Expected one of: ${[...names].join(', ')}.`);
    }
  }
}
