// Entry point of one training replica's worker thread (started by ReplicaPool from the compiled dist).
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { isGraftError } from '@graft/core';
import { useBestBackend, type BackendName } from '@graft/engine';
import { abortBarrier, BarrierAborted } from './barrier.js';
import { toPayload, type NamedPayload } from './payload.js';
import type { InitMessage, Reply, Request } from './protocol.js';
import { Replica } from './replica.js';

if (parentPort === null) throw new Error('worker.js runs only as a worker thread');
const port = parentPort;
let replica: Replica | undefined;
let aborted: (() => void) | undefined;
// Requests are handled strictly one after another, in arrival order, even though init is asynchronous.
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: Request & { id: number }) => {
  queue = queue.then(async () => {
    let reply: Reply;
    try {
      reply = { id: message.id, ok: true, value: await handle(message) };
    } catch (error) {
      if (message.type === 'step') aborted?.();
      reply = {
        id: message.id,
        ok: false,
        message: isGraftError(error) ? error.message : String((error as Error).stack ?? error),
        aborted: error instanceof BarrierAborted,
        ...(isGraftError(error) ? { code: error.code } : {}),
      };
    }
    port.postMessage(reply);
  });
});

async function handle(message: Request): Promise<unknown> {
  if (message.type === 'init') return start(message);
  if (replica === undefined) throw new Error('the replica got a request before init');
  switch (message.type) {
    case 'trainable':
      await replica.setTrainable(message.layers, message.weightNames, message.optimizerState);
      return null;
    case 'step':
      return replica.step(message.inputs, message.targets, message.shares);
    case 'weights':
      return replica.model.weights.map((weight): NamedPayload => ({ name: weight.originalName, ...toPayload(weight.read()) }));
    case 'optimizer-state':
      return replica.exportState();
  }
}

async function start(message: InitMessage): Promise<string> {
  await useBestBackend(message.backend as BackendName);
  const model = await tf.loadLayersModel(tf.io.fromMemory(message.artifacts));
  const barrier = { cells: message.barrier, parties: message.parties };
  aborted = () => abortBarrier(barrier);
  replica = new Replica(model, message.optimizer, message.task, { barrier, regions: message.regions, average: message.average, stride: message.stride }, message.index);
  return tf.getBackend();
}
