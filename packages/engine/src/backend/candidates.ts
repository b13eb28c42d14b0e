import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { enableWasmTraining } from '../wasm/enable-wasm-training.js';
import type { BackendName } from './backend-names.js';

/** Finds and imports backend packages; injectable so tests can play a missing or broken native package. */
export interface ModuleLoader {
  /** True when `specifier` resolves from graft's location. */
  readonly isInstalled: (specifier: string) => boolean;
  /** Imports `specifier` (loading any native library it needs). */
  readonly load: (specifier: string) => Promise<unknown>;
}

/** The default loader: Node's resolution from this package, then a dynamic `import()`. */
export const defaultModuleLoader: ModuleLoader = {
  isInstalled: (specifier) => {
    try {
      createRequire(import.meta.url).resolve(specifier);
      return true;
    } catch {
      return false;
    }
  },
  load: (specifier) => import(specifier),
};

/** One way of getting a backend: the package that provides it and how to start it. */
export interface BackendCandidate {
  readonly backend: BackendName;
  /** The npm package that provides the backend. */
  readonly package: string;
  /** Starts the backend and makes it current; resolves to why it cannot be used, or `undefined` on success. */
  readonly start: (loader: ModuleLoader) => Promise<string | undefined>;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').trim().replace(/\.+$/, '');
}

/** Loads `specifier`, resolving to why it failed: not installed, or installed but failing to load. */
async function loadPackage(loader: ModuleLoader, specifier: string): Promise<string | undefined> {
  if (!loader.isInstalled(specifier)) return `${specifier} is not installed`;
  try {
    await loader.load(specifier);
    return undefined;
  } catch (error) {
    return `${specifier} is installed but failed to load (native library or dependency missing): ${firstLine(error)}`;
  }
}

function nodeCandidate(specifier: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): BackendCandidate {
  return {
    backend: 'tensorflow',
    package: specifier,
    start: async (loader) => {
      // libtensorflow logs CPU feature notes to stderr at load unless told otherwise.
      process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
      const failure = await loadPackage(loader, specifier);
      if (failure !== undefined) return failure;
      if (tf.findBackendFactory('tensorflow') == null) {
        return `${specifier} loaded but registered its backend with another copy of @tensorflow/tfjs-core ` +
          `(graft uses ${tf.version_core}); install matching versions`;
      }
      return (await tf.setBackend('tensorflow')) ? undefined : `${specifier} loaded but the tensorflow backend failed to initialise`;
    },
  };
}

const wasmCandidate: BackendCandidate = {
  backend: 'wasm',
  package: '@tensorflow/tfjs-backend-wasm',
  start: async (loader) => {
    if (!('WebAssembly' in globalThis)) return 'this JavaScript runtime has no WebAssembly';
    const failure = await loadPackage(loader, '@tensorflow/tfjs-backend-wasm');
    if (failure !== undefined) return failure;
    await enableWasmTraining();
    return (await tf.setBackend('wasm')) ? undefined : 'the WebAssembly module failed to initialise';
  },
};

const cpuCandidate: BackendCandidate = {
  backend: 'cpu',
  package: '@tensorflow/tfjs',
  start: async () => ((await tf.setBackend('cpu')) ? undefined : 'the cpu backend failed to initialise'),
};

/** Every candidate, fastest first: tfjs-node-gpu, tfjs-node, wasm with graft's training kernels, cpu. */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  nodeCandidate('@tensorflow/tfjs-node-gpu'),
  nodeCandidate('@tensorflow/tfjs-node'),
  wasmCandidate,
  cpuCandidate,
];

/** How to get a backend that is missing, for error messages. */
export const INSTALL_HINTS: Readonly<Record<BackendName, string>> = {
  tensorflow:
    'install `@tensorflow/tfjs-node` (CPU) or `@tensorflow/tfjs-node-gpu` (CUDA) next to graft, at the same version as ' +
    '@tensorflow/tfjs; both download libtensorflow when installed, so the install needs network access to storage.googleapis.com',
  wasm: 'install `@tensorflow/tfjs-backend-wasm` at the same version as @tensorflow/tfjs',
  cpu: 'reinstall `@tensorflow/tfjs`, which ships the cpu backend',
};
