import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { GraftError, modelVocabulary } from '@graft/core';
import { CharVocabulary, TextWindows } from '@graft/datasets';
import { GPT_INPUT_NAMES, gptInputs } from '@graft/models';
import type { DataRequest, DataSourceKind, OpenedData } from './data-source.js';
import { DEFAULT_VALIDATION_SPLIT } from './held-out.js';

/**
 * `--data corpus.txt`: a UTF-8 text file, for a GPT-style model (the named inputs of `gpt()` of `@graft/models`)
 * that carries its character vocabulary in `userDefinedMetadata.graft.vocabulary`. The text is encoded with the
 * model's vocabulary (characters outside it become its unknown id, said once) and cut into windows of the model's
 * context that tile it, each predicting the next character (the language-model task). `--validation-split`
 * holds out the LAST fraction of the windows (contiguous text, so no held-out window sits between training ones);
 * `--limit` keeps the first windows.
 */
export const textSource: DataSourceKind = {
  accepts: 'a .txt file (for a GPT-style model with a vocabulary)',
  example: 'graft train gpt/model.json --data corpus.txt --epochs 1 --out trained',
  matches: (source) => /\.txt$/i.test(source),
  async open(request) {
    if (request.stat === undefined) throw new GraftError('INVALID_ARGUMENT', `--data ${request.source}: no such file.`);
    const name = path.basename(request.source);
    const { vocabulary, context } = checkModel(request.model, name, request.context);
    let text: string;
    try {
      text = await readFile(request.source, 'utf8');
    } catch (cause) {
      throw new GraftError('IO_FAILED', `--data ${request.source} could not be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`, { cause });
    }
    const length = [...text].length;
    const all = new TextWindows(vocabulary.encode(text), context, (tokens) => namedInputs(tokens));
    if (all.size === 0) {
      throw new GraftError('DATA_INVALID', `${name} has ${length} characters; a window of the model's context needs ${context + 1} (context + the next character).`);
    }
    const limited = request.limit === undefined ? all : windowsOf(all, 0, Math.min(request.limit, all.size));
    const unknown = vocabulary.unknownCount(text);
    const note = unknown === 0 ? undefined : `${name}: ${unknown} of ${length} characters are not in the model's vocabulary; they read as its unknown symbol.`;
    return { name, task: 'language-model', ...split(limited, request), ...(note === undefined ? {} : { note }) };
  },
};

/** The model's vocabulary and context, or the reason it cannot train on text. */
function checkModel(model: tf.LayersModel, name: string, asked: number | undefined): { vocabulary: CharVocabulary; context: number } {
  const expectedInputs = Object.values(GPT_INPUT_NAMES);
  const inputNames = model.inputs.map((input) => input.sourceLayer.name);
  if (inputNames.length !== expectedInputs.length || !expectedInputs.every((input) => inputNames.includes(input))) {
    throw new GraftError('UNSUPPORTED_MODEL', `The model's inputs are ${inputNames.join(', ')}; ${name} needs a GPT-style model with inputs ${expectedInputs.join(', ')} (gpt() of @graft/models).`);
  }
  const record = modelVocabulary(model);
  if (record === undefined) {
    throw new GraftError('UNSUPPORTED_MODEL', `The model has no vocabulary (userDefinedMetadata.graft.vocabulary); ${name} can only be encoded with the vocabulary the model was trained with.`);
  }
  const vocabulary = new CharVocabulary(record);
  const tokens = model.inputs[inputNames.indexOf(GPT_INPUT_NAMES.tokens)] as tf.SymbolicTensor;
  const context = tokens.shape[1];
  const output = model.outputs[0]?.shape ?? [];
  if (typeof context !== 'number' || output.length !== 3 || output[2] !== vocabulary.size) {
    throw new GraftError('UNSUPPORTED_MODEL', `The model gives [${output.slice(1).join(', ')}] for tokens of [${tokens.shape.slice(1).join(', ')}]; its vocabulary has ${vocabulary.size} ids, so it needs [context, ${vocabulary.size}].`);
  }
  if (asked !== undefined && asked > context) {
    throw new GraftError('INVALID_ARGUMENT', `--context ${asked}: windows of ${asked} characters are longer than the model's context of ${context}.`);
  }
  if (asked !== undefined && asked < context) {
    throw new GraftError('INVALID_ARGUMENT', `--context ${asked}: the model reads rows of exactly ${context} tokens; give --context ${context} or leave it out.`);
  }
  return { vocabulary, context };
}

/** The three GPT inputs by name, so the model's input order does not matter. */
function namedInputs(tokens: tf.Tensor2D): Record<string, tf.Tensor> {
  const [ids, positions, mask] = gptInputs(tokens) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return { [GPT_INPUT_NAMES.tokens]: ids, [GPT_INPUT_NAMES.positions]: positions, [GPT_INPUT_NAMES.mask]: mask };
}

function windowsOf(all: TextWindows, from: number, to: number): TextWindows {
  const starts = Uint32Array.from({ length: to - from }, (_, i) => (from + i) * all.context);
  return new TextWindows(all.ids, all.context, (tokens) => namedInputs(tokens), starts);
}

function split(windows: TextWindows, request: DataRequest): Pick<OpenedData, 'train' | 'test'> {
  const fraction = request.purpose === 'evaluate' ? 0 : (request.validationSplit ?? DEFAULT_VALIDATION_SPLIT);
  if (fraction === 0) return { train: windows };
  const held = Math.round(windows.size * fraction);
  if (held === 0 || held === windows.size) {
    throw new GraftError('INVALID_ARGUMENT', `--validation-split ${fraction} of ${windows.size} windows leaves ${held === 0 ? 'no test' : 'no training'} window; give more text or another fraction (0: none).`);
  }
  return { train: windowsOf(windows, 0, windows.size - held), test: windowsOf(windows, windows.size - held, windows.size) };
}
