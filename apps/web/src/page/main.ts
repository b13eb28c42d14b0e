import * as tf from '@tensorflow/tfjs';
import { grow, loadModelFrom, type SurgeryStrategy } from '@graft/core';
import { checkPreservation, DEFAULT_TOLERANCE } from '@graft/conformance/checks';
import { fineTune } from '../fine-tune.js';
import { layerRows } from '../layer-table.js';
import { lossPlotSvg } from '../loss-plot.js';
import { accuracy, loadMnistSlice, type MnistSlice, sliceTensors } from '../slice.js';
import { pageStrategies } from '../strategies.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const strategies = pageStrategies();
const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
let slice: MnistSlice;
let original: tf.LayersModel | undefined;
let grown: tf.LayersModel | undefined;
let originalAccuracy = 0;

function stage(name: string): void {
  document.body.dataset['stage'] = name;
}

function status(id: string, text: string, error = false): void {
  const element = $(id);
  element.textContent = text;
  element.classList.toggle('error', error);
}

/** Runs a button's action, reporting a failure on the page instead of in the console only. */
function action(button: string, statusId: string, run: () => Promise<void>): void {
  $<HTMLButtonElement>(button).addEventListener('click', () => {
    const buttons = [...document.querySelectorAll('button')];
    buttons.forEach((b) => (b.disabled = true));
    run()
      .catch((error: unknown) => {
        status(statusId, (error as Error).message ?? String(error), true);
        document.body.dataset['error'] = (error as Error).message ?? String(error);
      })
      .finally(() => buttons.forEach((b) => (b.disabled = false)));
  });
}

async function refreshSaved(): Promise<void> {
  const saved = Object.keys(await tf.io.listModels().catch(() => ({}))).filter((url) => url.startsWith('indexeddb://'));
  $('saved').innerHTML = saved.map((url) => `<option value="${url}">${url.slice('indexeddb://'.length)}</option>`).join('') || '<option value="">(none yet)</option>';
}

function chosenSource(): string | tf.io.IOHandler {
  const source = (document.querySelector('input[name=source]:checked') as HTMLInputElement).value;
  if (source === 'reference') return new URL('./models/mnist-reference/model.json', document.baseURI).href;
  if (source === 'indexeddb') {
    const url = $<HTMLSelectElement>('saved').value;
    if (url === '') throw new Error('No model is saved in this browser yet; grow one and save it first.');
    return url;
  }
  const files = [...($<HTMLInputElement>('files').files ?? [])].sort((a, b) => Number(b.name.endsWith('.json')) - Number(a.name.endsWith('.json')));
  if (!files[0]?.name.endsWith('.json')) throw new Error('Choose a model.json and its weight files (.bin) together.');
  return tf.io.browserFiles(files);
}

function showLayers(model: tf.LayersModel): void {
  const rows = layerRows(model, strategies);
  $('layers').querySelector('tbody')!.innerHTML = rows
    .map((r) => `<tr><td>${r.name}</td><td>${r.className}</td><td>${r.outputShape}</td><td class="num">${r.parameters.toLocaleString('en')}</td><td>${r.strategies.join(', ')}</td></tr>`)
    .join('');
  $('layers').hidden = false;
  const select = $<HTMLSelectElement>('strategy');
  select.innerHTML = strategies
    .map((s) => {
      const count = rows.filter((r) => r.strategies.includes(s.name)).length;
      return `<option value="${s.name}"${count === 0 ? ' disabled' : ''}>${s.name} (${count} site${count === 1 ? '' : 's'})</option>`;
    })
    .join('');
  select.value = strategies.find((s) => rows.some((r) => r.strategies.includes(s.name)))?.name ?? '';
  showSites();
}

function currentStrategy(): SurgeryStrategy {
  const strategy = strategies.find((s) => s.name === $<HTMLSelectElement>('strategy').value);
  if (strategy === undefined) throw new Error('This model offers no site to any strategy of the page.');
  return strategy;
}

function showSites(): void {
  if (original === undefined) return;
  const strategy = strategies.find((s) => s.name === $<HTMLSelectElement>('strategy').value);
  const sites = strategy === undefined ? [] : layerRows(original, [strategy]).filter((r) => r.strategies.length > 0).map((r) => r.name);
  $('site').innerHTML = sites.map((name) => `<option value="${name}">${name === '*' ? 'the whole model (*)' : name}</option>`).join('');
  $('strategy-description').textContent = strategy?.description ?? '';
}

action('load', 'model-status', async () => {
  const source = chosenSource();
  const model = await loadModelFrom(source);
  [original, grown].forEach((m) => m?.dispose());
  original = model;
  grown = undefined;
  ['train', 'save'].forEach((id) => ($(id).hidden = true));
  $('exactness').hidden = true;
  const parameters = model.countParams().toLocaleString('en');
  originalAccuracy = accuracy(model, slice.test);
  status('model-status', `Loaded ${typeof source === 'string' ? source : 'files from disk'}: ${model.layers.length} layers, ${parameters} parameters; accuracy ${percent(originalAccuracy)} on the bundled test images.`);
  showLayers(model);
  $('grow').hidden = false;
  stage('loaded');
});

$('strategy').addEventListener('change', showSites);

action('grow-button', 'grow-status', async () => {
  if (original === undefined) return;
  const strategy = currentStrategy();
  const after = $<HTMLSelectElement>('site').value;
  const result = await grow(original, strategy, { after });
  grown?.dispose();
  grown = result.model;
  status('grow-status', `Grew with ${strategy.name} after ${after}: added ${result.added.join(', ')} (${grown.countParams().toLocaleString('en')} parameters now).`);
  const { xs } = sliceTensors(slice.test);
  const check = checkPreservation(original, grown, xs, { tolerance: DEFAULT_TOLERANCE });
  xs.dispose();
  const delta = $('max-delta');
  delta.textContent = check.maxAbsDiff.toExponential(2).replace('0.00e+0', '0');
  Object.assign(delta.dataset, { value: String(check.maxAbsDiff), maxAbsY: String(check.maxAbsY), ok: String(check.ok) });
  $('relative').textContent = check.relative.toExponential(2);
  $('agreement').textContent = percent(check.argmaxAgreement);
  $('test-size').textContent = String(slice.test.size);
  const verdict = $('verdict');
  verdict.textContent = check.maxAbsDiff === 0 ? 'exact: bit for bit the same predictions' : check.ok ? `within the float tolerance (${DEFAULT_TOLERANCE} · max |y|)` : `NOT preserved: ${check.message}`;
  verdict.className = check.ok ? 'exact' : 'inexact';
  $('accuracy-original').textContent = percent(originalAccuracy);
  $('accuracy-grown').textContent = percent(accuracy(grown, slice.test));
  $('exactness').hidden = false;
  $('train').hidden = false;
  $('save').hidden = false;
  $('loss-plot').innerHTML = lossPlotSvg([]);
  stage('grown');
});

action('train-button', 'train-status', async () => {
  if (grown === undefined) return;
  const steps = Number($<HTMLInputElement>('steps').value);
  const before = accuracy(grown, slice.test);
  const losses: number[] = [];
  const progress = $<HTMLProgressElement>('progress');
  progress.max = steps;
  const started = performance.now();
  stage('training');
  await fineTune(grown, slice.train, {
    steps,
    batchSize: Number($<HTMLInputElement>('batch').value),
    learningRate: Number($<HTMLInputElement>('learning-rate').value),
    trainable: $<HTMLSelectElement>('trainable').value === 'new' ? 'new' : 'all',
    onStep(step, loss) {
      losses.push(loss);
      progress.value = step;
      $('progress-label').textContent = `step ${step} / ${steps}, loss ${loss.toFixed(4)}`;
      $('loss-plot').innerHTML = lossPlotSvg(losses);
    },
  });
  const after = accuracy(grown, slice.test);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  status('train-status', `${steps} steps in ${seconds} s on ${tf.getBackend()}: loss ${losses[0]?.toFixed(4)} → ${losses.at(-1)?.toFixed(4)}; test accuracy ${percent(before)} → ${percent(after)}.`);
  Object.assign($('train-status').dataset, { steps: String(losses.length), firstLoss: String(losses[0]), lastLoss: String(losses.at(-1)) });
  stage('trained');
});

action('save-indexeddb', 'save-status', async () => {
  if (grown === undefined) return;
  const url = `indexeddb://${$<HTMLInputElement>('save-name').value.trim() || 'graft-grown'}`;
  await grown.save(url);
  const reloaded = await loadModelFrom(url);
  const { xs } = sliceTensors(slice.test);
  const check = checkPreservation(grown, reloaded, xs);
  xs.dispose();
  reloaded.dispose();
  status('save-status', `Saved to ${url}; reloaded from IndexedDB, its predictions differ by max |Δ| ${check.maxAbsDiff}.`);
  $('save-status').dataset['reloadedDelta'] = String(check.maxAbsDiff);
  await refreshSaved();
  stage('saved');
});

action('download', 'save-status', async () => {
  if (grown === undefined) return;
  const name = $<HTMLInputElement>('save-name').value.trim() || 'graft-grown';
  await grown.save(`downloads://${name}`);
  status('save-status', `Downloaded ${name}.json and ${name}.weights.bin.`);
});

async function start(): Promise<void> {
  await tf.ready();
  const backend = tf.getBackend();
  const precision = backend === 'webgl' ? `, float32 textures ${tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'on' : 'off'}` : '';
  $('backend').innerHTML = `Backend: <strong>${backend}</strong> (TensorFlow.js's pick in this browser${precision})`;
  $('backend').dataset['backend'] = backend;
  slice = await loadMnistSlice(new URL('./data/mnist-slice.json', document.baseURI));
  $('slice-source').textContent = `Bundled data: ${slice.train.size} training and ${slice.test.size} test images (${slice.source}).`;
  await refreshSaved();
  stage('ready');
}

start().catch((error: unknown) => {
  status('model-status', `The page could not start: ${(error as Error).message}`, true);
  document.body.dataset['error'] = (error as Error).message;
});
