import * as tf from '@tensorflow/tfjs';
import { GraftError } from '@graft/core';

/** The element types a tensor can cross a thread boundary with. */
export type PayloadData = Float32Array | Int32Array | Uint8Array;

/** A tensor's values outside any backend, as sent between the main thread and the replicas. */
export interface TensorPayload {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly data: PayloadData;
}

/** A named tensor payload (optimizer state, model weights). */
export interface NamedPayload extends TensorPayload {
  readonly name: string;
}

/** A copy of `tensor`'s values (never a view of backend memory), ready to be posted or transferred. */
export function toPayload(tensor: tf.Tensor): TensorPayload {
  const dtype = payloadDtype(tensor.dtype);
  return { shape: [...tensor.shape], dtype, data: copyOf(tensor.dataSync<'float32' | 'int32' | 'bool'>()) };
}

/** A new tensor on the current backend holding `payload`'s values. */
export function fromPayload(payload: TensorPayload): tf.Tensor {
  return tf.tensor(payload.data, [...payload.shape], payload.dtype);
}

/** Rows `[start, start + rows)` along axis 0 of `values` (the whole tensor's data), as an independent payload. */
export function rowsOf(values: PayloadData, tensor: tf.Tensor, start: number, rows: number): TensorPayload {
  const rowSize = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  const data = values.slice(start * rowSize, (start + rows) * rowSize);
  return { shape: [rows, ...tensor.shape.slice(1)], dtype: payloadDtype(tensor.dtype), data };
}

/** The buffers of `payloads`, for a postMessage transfer list (each payload owns its buffer). */
export function buffersOf(payloads: readonly TensorPayload[]): ArrayBuffer[] {
  return payloads.map((payload) => payload.data.buffer as ArrayBuffer);
}

function payloadDtype(dtype: tf.DataType): TensorPayload['dtype'] {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new GraftError('INVALID_ARGUMENT', `A ${dtype} tensor cannot be sent to a training replica; expected float32, int32 or bool.`);
}

function copyOf(values: PayloadData): PayloadData {
  // slice() copies into a fresh, non-shared buffer, so the payload can be transferred without detaching tfjs memory.
  return values.slice();
}
