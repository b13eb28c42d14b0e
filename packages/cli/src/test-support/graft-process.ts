import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '@graft/core/node';
import { afterAll, beforeAll } from 'vitest';

/** The built binary: the tests run what users run, as a child process. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What one run of `graft` did. */
export interface GraftRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/bin.js ...args` in `cwd` and collects its output; never rejects on a non-zero exit. */
export function runGraft(args: readonly string[], cwd: string): Promise<GraftRun> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing; build first: npx tsc -b packages/cli`);
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GRAFT_BACKEND: '' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh temporary folder for one test file. */
export function makeTempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `graft-cli-${prefix}-`));
}

/** Saves `model` as `dir/model.json` + weights with core's `saveModel`, and disposes it. */
export async function writeModel(model: tf.LayersModel, dir: string): Promise<string> {
  await saveModel(model, dir);
  model.dispose();
  return path.join(dir, 'model.json');
}

/** A temporary folder of saved models that a test file's tests share; see {@link useModelFolder}. */
export interface ModelFolder {
  /** The folder, made before the tests (in their `beforeAll`). */
  readonly root: string;
}

/**
 * The set-up of a test file that runs `graft` on saved models: in a `beforeAll`, puts tfjs on the cpu backend and
 * makes a fresh temporary folder (see {@link makeTempDir}) holding each of `models` saved under its key as
 * `<key>/model.json`; in an `afterAll`, removes the folder. Read `root` inside the tests.
 */
export function useModelFolder(prefix: string, models: Readonly<Record<string, () => tf.LayersModel>>): ModelFolder {
  let root: string | undefined;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await makeTempDir(prefix);
    for (const [name, build] of Object.entries(models)) await writeModel(build(), path.join(root, name));
  });
  afterAll(async () => {
    if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
    root = undefined;
  });
  return {
    get root() {
      if (root === undefined) throw new Error(`The "${prefix}" model folder exists only while its tests run (from their beforeAll); read root inside a test.`);
      return root;
    },
  };
}

/** Every file under `dir` with its bytes, to prove a command wrote nothing and touched nothing. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(path.relative(dir, full), (await fs.readFile(full)).toString('base64'));
    }
  };
  await walk(dir);
  return files;
}

/** A copy of the model folder `source` at `target`, then `edit` applied to its parsed model.json. */
/** The parts of a saved model.json the tests read or edit. */
export interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  userDefinedMetadata: { graft: { added: string[]; history: unknown[] } };
  [key: string]: unknown;
}

/** A saved model.json, parsed. */
export async function readModelJson(file: string): Promise<ModelJson> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as ModelJson;
}

export async function copyModel(source: string, target: string, edit?: (json: ModelJson) => void): Promise<string> {
  await fs.cp(source, target, { recursive: true });
  const file = path.join(target, 'model.json');
  if (edit !== undefined) {
    const json = await readModelJson(file);
    edit(json);
    await fs.writeFile(file, JSON.stringify(json));
  }
  return file;
}

/** Asserts the shape of a refusal: one line on stderr naming the code, no stack trace, nothing on stdout. */
export function refusalLine(run: GraftRun): string {
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${run.stderr}`);
  if (/\n\s+at /.test(run.stderr) || /^\s+at /m.test(run.stderr)) throw new Error(`stack trace on stderr:\n${run.stderr}`);
  return lines[0] as string;
}
