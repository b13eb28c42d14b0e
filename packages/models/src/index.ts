export { mnistSeed, MNIST_SEED_CLASSES, MNIST_SEED_INPUT_SHAPE } from './mnist-seed.js';
export type { MnistSeedOptions } from './mnist-seed.js';
export { causalMask, gpt, gptInputs, GPT_INPUT_NAMES, positionIds } from './gpt.js';
export type { GptOptions } from './gpt.js';
export { wideDenseStack, wideDenseStackParams } from './wide-dense-stack.js';
export type { WideDenseStackOptions } from './wide-dense-stack.js';
