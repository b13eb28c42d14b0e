import * as tf from '@tensorflow/tfjs';
import { silenceTfjsBanner } from '@graft/engine';

/**
 * Keeps tfjs from printing into the CLI's output: engine's `silenceTfjsBanner` stops the cpu backend's "looks like
 * you are running TensorFlow.js in Node.js" notice, and since tfjs and tfjs-layers also call `console.warn`
 * directly (shape notices, flag overrides), console output — which the CLI itself never uses — goes to stderr under
 * `--debug` and nowhere otherwise. Stdout then holds only results (pure JSON with `--json`).
 */
export async function quietTfjs(debug: boolean, writeErr: (text: string) => void): Promise<void> {
  // The banner flag lives on the backend instance, which exists only once tfjs has picked its backend.
  await tf.ready();
  silenceTfjsBanner();
  const sink = debug ? (...args: unknown[]) => writeErr(`${args.map(String).join(' ')}\n`) : () => undefined;
  console.log = sink;
  console.info = sink;
  console.warn = sink;
  console.debug = sink;
  console.error = sink;
}
