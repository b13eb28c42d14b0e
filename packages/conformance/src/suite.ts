import * as tf from '@tensorflow/tfjs';
import { disposeModel, fromGraph, GraftError, grow, type ModelGraph, type StrategyOptions, type SurgeryStrategy, toGraph } from '@graft/core';
import { type Fixture, fixtures as allFixtures, randomInputs } from '@graft/fixtures';
import { selectBackends, useBackend } from './backends.js';
import { checkCausality } from './check-causality.js';
import { checkLiveness } from './check-liveness.js';
import { checkPreservation, DEFAULT_TOLERANCE } from './check-preservation.js';
import { checkRefusals } from './check-refusals.js';
import { checkRoundTrip } from './check-round-trip.js';
import { checkSourceUnchanged } from './check-source-unchanged.js';
import { checkStrategyShape } from './check-strategy-shape.js';
import { checkTrainingStep } from './check-training-step.js';
import { mnistDigits } from './digits.js';
import { messageOf } from './model-tensors.js';
import { assertStatedLayersExist, checkStatedRefusals, checkStatedSites, type FixtureSites, type StatedSites } from './stated-sites.js';

/** Options of `describeStrategyConformance` and `runStrategyConformance`. */
export interface ConformanceOptions {
  /**
   * Per fixture name, the sites the strategy offers there (exactly) and some layers it refuses with words of the
   * reason. The run checks these fixtures, and these sites — never the strategy's own word for where it applies.
   */
  readonly sites: StatedSites;
  /** Backends to run on, each must be available. Default: every available one (`tensorflow`, `wasm`, `cpu`). */
  readonly backends?: readonly string[];
  /** Options passed to `grow` (and so to the strategy's `apply`), e.g. `{ gate: 'tanh' }`. */
  readonly options?: StrategyOptions;
  /** Largest allowed max |Δ| / max |y|. Default 1e-5. */
  readonly tolerance?: number;
  /** Random input samples per fixture. Default 8. */
  readonly samples?: number;
  /** Real MNIST test digits for MNIST-shaped fixtures. Default 64. */
  readonly digits?: number;
  /** Seed of inputs and random losses. Default 1. */
  readonly seed?: number;
  /** Words added to the title, to tell two runs of one strategy apart: `dense-identity conformance (24 units)`. */
  readonly label?: string;
  /** Timeout of each test and hook, in ms. Default 120 000. */
  readonly timeout?: number;
}

/** One generated test. */
export interface SuiteTest {
  readonly kind: 'test';
  readonly name: string;
  run(): Promise<void>;
}

/** A group of tests with set-up and tear-down, mapped to a `describe` block. */
export interface SuiteGroup {
  readonly kind: 'group';
  readonly name: string;
  readonly before?: () => Promise<void>;
  readonly after?: () => void | Promise<void>;
  readonly children: readonly (SuiteGroup | SuiteTest)[];
}

/**
 * Samples the gradient checks (liveness, training step) use first: few, because tfjs's cpu conv gradient kernels are
 * slow (a 32→32 3×3 conv on 26×26 costs ~1.5 s per sample per step). Liveness confirms a failure on all samples.
 */
const GRADIENT_SAMPLES = 2;

interface FixtureState {
  source: tf.LayersModel | undefined;
  inputs: tf.Tensor[];
  gradientInputs: tf.Tensor[];
  digits: tf.Tensor | undefined;
}

interface Survey {
  readonly fixture: Fixture;
  readonly graph: ModelGraph;
  readonly stated: FixtureSites;
}

// Like tfjs's describeWithFlags, every test is also a leak check: it must end with as many tensors as it began.
const test = (name: string, run: () => Promise<void> | void): SuiteTest => ({
  kind: 'test',
  name,
  run: async () => {
    const before = tf.memory().numTensors;
    await run();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) throw new Error(`The check "${name}" ended with ${leaked} more tensors than it began with.`);
  },
});

function assertOk(result: { readonly ok: boolean; readonly message: string }): void {
  if (!result.ok) throw new Error(result.message);
}

/** The title of the outer block: `<name> conformance`, plus the label and the options when there are any. */
export function suiteTitle(strategy: unknown, options: Partial<ConformanceOptions> = {}): string {
  const name = checkStrategyShape(strategy).ok ? (strategy as SurgeryStrategy).name : 'strategy';
  const label = options.label === undefined || options.label === '' ? '' : ` (${options.label})`;
  const extra = options.options === undefined || Object.keys(options.options).length === 0 ? '' : ` ${JSON.stringify(options.options)}`;
  return `${name} conformance${label}${extra}`;
}

/**
 * Builds the conformance tests for `strategy`: checks its shape, surveys the fixtures for sites (on the current
 * backend), and generates backend → fixture → site groups.
 * @throws GraftError `INVALID_ARGUMENT` for sites not stated, an unknown fixture name, or a stated layer the fixture lacks; `BACKEND_UNAVAILABLE` for a requested
 * backend that is not available.
 */
export async function buildSuite(strategy: unknown, options: ConformanceOptions): Promise<SuiteGroup> {
  const shape = checkStrategyShape(strategy);
  const children: (SuiteGroup | SuiteTest)[] = [test('has the shape of a graft strategy', () => assertOk(shape))];
  const root = (): SuiteGroup => ({ kind: 'group', name: suiteTitle(strategy, options), children });
  if (!shape.ok) return root();
  const valid = strategy as SurgeryStrategy;
  const surveys = selectFixtures(options.sites).map((fixture) => survey(fixture, options.sites[fixture.name]!));
  children.push(
    test('states a site on at least one fixture', () => {
      if (surveys.every((s) => s.stated.offers.length === 0)) {
        throw new Error(`The conformance call of "${valid.name}" states no site on any fixture (${surveys.map((s) => s.fixture.name).join(', ') || 'none'}); a run that grows nowhere checks nothing. Give { sites: { '<fixture>': { offers: ['<layer>'] } } }.`);
      }
    }),
  );
  const backends = await selectBackends(options.backends);
  if (backends.length === 0) children.push(test('runs on at least one backend', () => { throw new Error('No backend selected to run on.'); }));
  for (const backend of backends) {
    children.push({ kind: 'group', name: backend, before: () => useBackend(backend), children: surveys.map((s) => fixtureGroup(s, valid, options)) });
  }
  return root();
}

function selectFixtures(sites: StatedSites | undefined): Fixture[] {
  if (typeof sites !== 'object' || sites === null) {
    throw new GraftError('INVALID_ARGUMENT', "The conformance call must state its sites: { sites: { '<fixture>': { offers: ['<layer>', …], refuses: { '<layer>': '<words of the reason>' } } } }.");
  }
  const unknown = Object.keys(sites).filter((name) => !allFixtures.some((f) => f.name === name));
  if (unknown.length > 0) {
    throw new GraftError('INVALID_ARGUMENT', `No fixture named ${unknown.map((u) => `"${u}"`).join(', ')}. Expected names: ${allFixtures.map((f) => f.name).join(', ')}.`);
  }
  return allFixtures.filter((f) => Object.hasOwn(sites, f.name));
}

function survey(fixture: Fixture, stated: FixtureSites): Survey {
  const model = fixture.build();
  try {
    const graph = toGraph(model);
    assertStatedLayersExist(fixture.name, graph, stated);
    return { fixture, graph, stated };
  } finally {
    disposeModel(model);
  }
}

function fixtureGroup({ fixture, graph, stated }: Survey, strategy: SurgeryStrategy, options: ConformanceOptions): SuiteGroup {
  const state: FixtureState = { source: undefined, inputs: [], gradientInputs: [], digits: undefined };
  const source = (): tf.LayersModel => {
    if (state.source === undefined) throw new Error(`The fixture "${fixture.name}" could not be built.`);
    return state.source;
  };
  const children: (SuiteGroup | SuiteTest)[] = [
    test('offers exactly the stated sites', () => assertOk(checkStatedSites(graph, strategy, stated))),
  ];
  if (Object.keys(stated.refuses ?? {}).length > 0) {
    children.push(test('refuses the stated layers, saying why', async () => assertOk(await checkStatedRefusals(source(), graph, strategy, stated, options.options))));
  }
  if (fixture.tokens?.causal === true) children.push(test('the source model is causal', () => assertCausal(source(), fixture, options)));
  for (const site of stated.offers) children.push(siteGroup(site, strategy, options, source, state, fixture));
  children.push(test('refuses the layers it does not offer', async () => assertOk(await checkRefusals(source(), strategy, state.inputs, options.options, options.tolerance))));
  return {
    kind: 'group',
    name: fixture.name,
    before: async () => {
      state.source = await fromGraph(graph);
      state.inputs = randomInputs(fixture, options.samples ?? 8, options.seed ?? 1);
      state.gradientInputs = state.inputs.map((x) => x.slice(0, Math.min(GRADIENT_SAMPLES, x.shape[0] ?? 1)));
      if (fixture.tags.includes('mnist-shaped')) state.digits = await mnistDigits(options.digits ?? 64);
    },
    after: () => {
      if (state.source !== undefined) disposeModel(state.source);
      tf.dispose([...state.inputs, ...state.gradientInputs, ...(state.digits === undefined ? [] : [state.digits])]);
      state.source = undefined;
      state.inputs = [];
      state.gradientInputs = [];
      state.digits = undefined;
    },
    children,
  };
}

/** Rows whose tokens the causality check changes one position at a time: few, as each position costs a prediction. */
const CAUSALITY_ROWS = 2;

/** The causality check, for fixtures that declare their outputs causal, on seeded token rows. */
function assertCausal(model: tf.LayersModel, fixture: Fixture, options: ConformanceOptions): void {
  const feed = fixture.tokens;
  if (feed === undefined) throw new Error(`The fixture "${fixture.name}" declares no token inputs.`);
  const tokens = tf.randomUniformInt<tf.Rank.R2>([CAUSALITY_ROWS, feed.length], 0, feed.vocabulary, options.seed ?? 1);
  try {
    assertOk(checkCausality(model, tokens, feed));
  } finally {
    tokens.dispose();
  }
}

function digitsOf(state: { readonly digits: tf.Tensor | undefined }): tf.Tensor {
  if (state.digits === undefined) throw new Error('MNIST digits could not be loaded.');
  return state.digits;
}

function siteGroup(
  site: string,
  strategy: SurgeryStrategy,
  options: ConformanceOptions,
  source: () => tf.LayersModel,
  state: Readonly<FixtureState>,
  fixture: Fixture,
): SuiteGroup {
  let grown: { model: tf.LayersModel; added: string[] } | undefined;
  let growError: unknown;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const seed = options.seed ?? 1;
  const grownModel = (): { model: tf.LayersModel; added: string[] } => {
    if (grown === undefined) throw new Error(`grow(${fixture.name}, ${strategy.name}, { after: "${site}" }) failed: ${messageOf(growError)}`, { cause: growError });
    return grown;
  };
  const children: SuiteTest[] = [
    test('preserves predictions on random inputs', () => assertOk(checkPreservation(source(), grownModel().model, state.inputs, { tolerance }))),
  ];
  if (fixture.tags.includes('mnist-shaped')) {
    children.push(test('preserves predictions on MNIST digits', () => assertOk(checkPreservation(source(), grownModel().model, digitsOf(state), { tolerance }))));
  }
  children.push(
    test('adds weights that learn', async () => {
      const { model, added } = grownModel();
      const quick = await checkLiveness(model, added, state.gradientInputs, { seed });
      // A failure on the few gradient samples may be data (relu units dead on both); only all samples can confirm it.
      assertOk(quick.ok ? quick : await checkLiveness(model, added, state.inputs, { seed }));
    }),
    test('leaves the source unchanged and leaks no tensors', async () => assertOk(await checkSourceUnchanged(source(), strategy, { after: site }, options.options))),
    test('keeps predictions through save and load', async () => assertOk(await checkRoundTrip(grownModel().model, state.inputs, { tolerance }))),
    test('takes a training step with a finite loss', async () => assertOk(await checkTrainingStep(grownModel().model, state.gradientInputs, { seed }))),
  );
  if (fixture.tokens?.causal === true) children.push(test('stays causal after growth', () => assertCausal(grownModel().model, fixture, options)));
  return {
    kind: 'group',
    name: `after ${site}`,
    before: async () => {
      try {
        grown = await grow(source(), strategy, { after: site }, options.options);
      } catch (error) {
        growError = error;
      }
    },
    after: () => {
      if (grown !== undefined) disposeModel(grown.model);
      grown = undefined;
      growError = undefined;
    },
    children,
  };
}
