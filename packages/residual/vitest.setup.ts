// Runs before every test file of @graft/residual: the tests compare exact numbers, so they all run on tfjs's CPU
// backend (pure JavaScript, float32, the same on every machine) rather than on whichever backend tfjs picks.
import * as tf from '@tensorflow/tfjs';

if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not start its CPU backend.');
