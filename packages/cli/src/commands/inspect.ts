import { findSites, toGraph, type LayerNode, type Shape } from '@graft/core';
import { loadModel } from '@graft/core/node';
import { table, writeJson, type CliIO } from '../io.js';
import { registeredStrategies, type StrategyLookup } from '../strategies.js';

/** One layer in `graft inspect --json`. */
export interface LayerEntry {
  readonly name: string;
  readonly className: string;
  /** The output shape with `null` for the batch; a list of shapes for a layer with several outputs or calls. */
  readonly outputShape: Shape | Shape[];
  /** Number of weight values (trainable or not). */
  readonly params: number;
}

/** What `graft inspect --json` prints. */
export interface InspectResult {
  readonly layers: LayerEntry[];
  /** Per registered strategy, the layers after which it applies exactly; `["*"]` for a model-wide one that applies. */
  readonly sites: Record<string, string[]>;
}

function outputShapeOf(node: LayerNode): Shape | Shape[] {
  const shapes = (node.outputShapes ?? []).flat();
  const distinct = shapes.filter((shape, i) => shapes.findIndex((s) => JSON.stringify(s) === JSON.stringify(shape)) === i);
  return distinct.length === 1 ? (distinct[0] as Shape) : distinct;
}

const shapeText = (shape: Shape | Shape[]): string => JSON.stringify(shape).replace(/,/g, ', ');

/**
 * `graft inspect <model.json>`: the layers (from graft's graph, so a Sequential model shows its input layer, which
 * strategies may name as a site) and where each registered strategy applies.
 */
export async function inspectCommand(file: string, options: { json?: boolean }, io: CliIO, strategies: StrategyLookup = registeredStrategies): Promise<void> {
  const model = await loadModel(file);
  const graph = toGraph(model);
  model.dispose();
  const layers: LayerEntry[] = graph.nodes.map((node) => ({
    name: node.name,
    className: node.className,
    outputShape: outputShapeOf(node),
    params: node.weights.reduce((sum, w) => sum + w.shape.reduce((n, d) => n * d, 1), 0),
  }));
  const sites: Record<string, string[]> = {};
  for (const name of strategies.names()) sites[name] = findSites(graph, strategies.create(name));
  const result: InspectResult = { layers, sites };
  if (options.json === true) return writeJson(io, result);
  const total = layers.reduce((n, l) => n + l.params, 0);
  io.out(table([['layer', 'class', 'output shape', 'params'], ...layers.map((l) => [l.name, l.className, shapeText(l.outputShape), String(l.params)])]));
  io.out(`total params: ${total}\n\nsites (graft grow ${file} --strategy <name> --after <layer> --out <dir>; "*": model-wide, no --after needed):\n`);
  io.out(table(Object.entries(sites).map(([name, after]) => [`  ${name}`, after.length > 0 ? after.join(', ') : '(none)'])));
}
