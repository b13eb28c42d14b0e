import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { consumersOf, getLayer, GraftError, modelVocabulary, toGraph, type LayerNode, type ModelGraph } from '@graft/core';
import { CharVocabulary, TextWindows, type TokenInputs } from '@graft/datasets';
import { causalMask, GPT_INPUT_NAMES, positionIds } from '@graft/models';
import type { DataRequest, DataSourceKind, OpenedData } from './data-source.js';
import { DEFAULT_VALIDATION_SPLIT } from './held-out.js';

/**
 * `--data corpus.txt`: a UTF-8 text file, for a language model that carries its character vocabulary in
 * `userDefinedMetadata.graft.vocabulary` and reads token ids `[context]` (int32, into an Embedding), optionally with
 * positions `[context]` (0 … context − 1, into an Embedding of their own) and a causal mask `[context, context]`
 * (additive 0 / −1e9 where it feeds an Add, 1 / 0 where it feeds a Multiply): `gpt()` of `@graft/models`, or any
 * model with such inputs whatever their names (see {@link inputRoles}). The text is encoded with the
 * model's vocabulary (characters outside it become its unknown id, said once) and cut into windows of the model's
 * context that tile it, each predicting the next character (the language-model task). `--validation-split`
 * holds out the LAST fraction of the windows (contiguous text, so no held-out window sits between training ones);
 * `--limit` keeps the first windows.
 */
export const textSource: DataSourceKind = {
  accepts: 'a .txt file (for a language model with a vocabulary)',
  example: 'graft train gpt/model.json --data corpus.txt --epochs 1 --out trained',
  matches: (source) => /\.txt$/i.test(source),
  async open(request) {
    if (request.stat === undefined) throw new GraftError('INVALID_ARGUMENT', `--data ${request.source}: no such file.`);
    const name = path.basename(request.source);
    const { vocabulary, context, inputs } = checkModel(request.model, name, request.context);
    let text: string;
    try {
      text = await readFile(request.source, 'utf8');
    } catch (cause) {
      throw new GraftError('IO_FAILED', `--data ${request.source} could not be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`, { cause });
    }
    const length = [...text].length;
    const all = new TextWindows(vocabulary.encode(text), context, inputs);
    if (all.size === 0) {
      throw new GraftError('DATA_INVALID', `${name} has ${length} characters; a window of the model's context needs ${context + 1} (context + the next character).`);
    }
    const limited = request.limit === undefined ? all : windowsOf(all, inputs, 0, Math.min(request.limit, all.size));
    const unknown = vocabulary.unknownCount(text);
    const note = unknown === 0 ? undefined : `${name}: ${unknown} of ${length} characters are not in the model's vocabulary; they read as its unknown symbol.`;
    return { name, task: 'language-model', ...split(limited, inputs, request), ...(note === undefined ? {} : { note }) };
  },
};

/** The model's vocabulary, context and input builder, or the reason it cannot train on text. */
function checkModel(model: tf.LayersModel, name: string, asked: number | undefined): { vocabulary: CharVocabulary; context: number; inputs: TokenInputs } {
  const record = modelVocabulary(model);
  if (record === undefined) {
    throw new GraftError('UNSUPPORTED_MODEL', `The model has no vocabulary (userDefinedMetadata.graft.vocabulary); ${name} can only be encoded with the vocabulary the model was trained with.`);
  }
  const vocabulary = new CharVocabulary(record);
  const roles = inputRoles(model, vocabulary.size, name);
  const context = roles.context;
  const output = model.outputs[0]?.shape ?? [];
  if (model.outputs.length !== 1 || output.length !== 3 || output[1] !== context || output[2] !== vocabulary.size) {
    throw new GraftError('UNSUPPORTED_MODEL', `The model gives [${output.slice(1).join(', ')}] for tokens of [${context}]; its vocabulary has ${vocabulary.size} ids, so it needs [context, ${vocabulary.size}] (one output, a prediction at every position).`);
  }
  if (asked !== undefined && asked > context) {
    throw new GraftError('INVALID_ARGUMENT', `--context ${asked}: windows of ${asked} characters are longer than the model's context of ${context}.`);
  }
  if (asked !== undefined && asked < context) {
    throw new GraftError('INVALID_ARGUMENT', `--context ${asked}: the model reads rows of exactly ${context} tokens; give --context ${context} or leave it out.`);
  }
  return { vocabulary, context, inputs: roles.inputs };
}

type Role = 'tokens' | 'positions' | 'additive-mask' | 'multiplicative-mask';

/**
 * What each model input is, read from the model itself: `gpt()`'s input names when it has exactly those; otherwise
 * by structure. Inputs `[context]` that feed an Embedding carry ids: with one, it is the tokens; with two, the one whose
 * Embedding has the vocabulary's size is the tokens and the other the positions. An input `[context, context]` is the
 * causal mask, additive when it feeds an Add, multiplicative when it feeds a Multiply. Anything else is refused,
 * naming the input.
 */
function inputRoles(model: tf.LayersModel, vocabularySize: number, name: string): { context: number; inputs: TokenInputs } {
  const inputs = model.inputs.map((input) => ({ name: input.sourceLayer.name, shape: input.shape.slice(1) }));
  const graph = toGraph(model);
  const consumers = (input: string): string[] => readers(graph, input).map((node) => node.className);
  const refuse = (why: string): never => {
    throw new GraftError('UNSUPPORTED_MODEL', `${why}; ${name} needs a language model whose inputs are token ids [context] into an Embedding, optionally positions [context] and a causal mask [context, context] (as gpt() of @graft/models).`);
  };
  const ids = inputs.filter((input) => input.shape.length === 1 && consumers(input.name).includes('Embedding'));
  if (ids.length === 0) refuse(`The model's inputs are ${inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join(', ')}, none of them ids [context] into an Embedding`);
  const context = ids[0]?.shape[0];
  if (typeof context !== 'number') return refuse(`Input "${ids[0]?.name}" has no fixed length`);
  const roles = new Map<string, Role>();
  const named = Object.values(GPT_INPUT_NAMES);
  if (inputs.length === named.length && named.every((n) => inputs.some((i) => i.name === n))) {
    roles.set(GPT_INPUT_NAMES.tokens, 'tokens').set(GPT_INPUT_NAMES.positions, 'positions');
  } else if (ids.length === 1) {
    roles.set(ids[0]!.name, 'tokens');
  } else if (ids.length === 2) {
    const bySize = ids.filter((input) => embeddingInputDim(graph, input.name) === vocabularySize);
    if (bySize.length !== 1) refuse(`Inputs "${ids[0]!.name}" and "${ids[1]!.name}" both feed Embeddings and ${bySize.length === 0 ? 'neither' : 'both'} of ${bySize.length === 0 ? 'them has' : 'theirs have'} the vocabulary's ${vocabularySize} rows, so which is the tokens is unclear (name them tokens and positions)`);
    for (const input of ids) roles.set(input.name, input === bySize[0] ? 'tokens' : 'positions');
  } else {
    refuse(`The model has ${ids.length} id inputs (${ids.map((i) => i.name).join(', ')})`);
  }
  for (const input of inputs) {
    if (roles.has(input.name)) {
      if (input.shape.length !== 1 || input.shape[0] !== context) refuse(`Input "${input.name}" is [${input.shape.join(', ')}], not [${context}]`);
      continue;
    }
    if (input.shape.length !== 2 || input.shape[0] !== context || input.shape[1] !== context) refuse(`Input "${input.name}" [${input.shape.join(', ')}] is neither ids [${context}] nor a causal mask [${context}, ${context}]`);
    const reads = consumers(input.name);
    if (reads.length > 0 && reads.every((c) => c === 'Add')) roles.set(input.name, 'additive-mask');
    else if (reads.length > 0 && reads.every((c) => c === 'Multiply')) roles.set(input.name, 'multiplicative-mask');
    else refuse(`Input "${input.name}" [${context}, ${context}] looks like a mask but feeds ${reads.join(', ') || 'nothing'}, not only Add (additive) or only Multiply (multiplicative)`);
  }
  const order = inputs.map((input) => ({ name: input.name, role: roles.get(input.name) as Role }));
  return { context, inputs: (tokens) => Object.fromEntries(order.map(({ name: input, role }) => [input, roleTensor(role, tokens)])) };
}

/** The layers that read `input`. */
function readers(graph: ModelGraph, input: string): LayerNode[] {
  return consumersOf(graph, input).map((consumer) => getLayer(graph, consumer.layer));
}

function embeddingInputDim(graph: ModelGraph, input: string): number | undefined {
  const dim = readers(graph, input).find((node) => node.className === 'Embedding')?.config['input_dim'];
  return typeof dim === 'number' ? dim : undefined;
}

function roleTensor(role: Role, tokens: tf.Tensor2D): tf.Tensor {
  const [batch, context] = tokens.shape;
  if (role === 'tokens') return tokens;
  if (role === 'positions') return positionIds(batch, context);
  return causalMask(batch, context, role === 'additive-mask' ? 'additive' : 'multiplicative');
}

function windowsOf(all: TextWindows, inputs: TokenInputs, from: number, to: number): TextWindows {
  const starts = Uint32Array.from({ length: to - from }, (_, i) => (from + i) * all.context);
  return new TextWindows(all.ids, all.context, inputs, starts);
}

function split(windows: TextWindows, inputs: TokenInputs, request: DataRequest): Pick<OpenedData, 'train' | 'test'> {
  const fraction = request.purpose === 'evaluate' ? 0 : (request.validationSplit ?? DEFAULT_VALIDATION_SPLIT);
  if (fraction === 0) return { train: windows };
  const held = Math.round(windows.size * fraction);
  if (held === 0 || held === windows.size) {
    throw new GraftError('INVALID_ARGUMENT', `--validation-split ${fraction} of ${windows.size} windows leaves ${held === 0 ? 'no test' : 'no training'} window; give more text or another fraction (0: none).`);
  }
  return { train: windowsOf(windows, inputs, 0, windows.size - held), test: windowsOf(windows, inputs, windows.size - held, windows.size) };
}
