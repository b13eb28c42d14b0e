// The bundle check: bundles each browser entry for the browser platform (rolldown, the bundler inside vite) and
// reports, per entry, the import chain that reaches a Node builtin — `node:fs`, `fs`, `path`, `worker_threads`, …
// A builtin that a package maps away for browsers (`"browser": { "crypto": false }`, as tfjs and seedrandom do) is
// resolved by the bundler to an empty module and is not a leak; one that stays unresolved or external is.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { rolldown } from 'rolldown';

/**
 * The entries that must bundle for a browser: core, every strategy package (keyword `graft-strategy`),
 * `@graft/models`, the conformance checkers, and `@graft/train` once its file IO lives behind `@graft/train/node`.
 * Entries whose package is not in the workspace yet are left out, each with the reason.
 */
export function browserEntries(root) {
  const packages = new Map();
  for (const dir of readdirSync(path.join(root, 'packages'))) {
    const file = path.join(root, 'packages', dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      packages.set(json.name, json);
    }
  }
  const entries = [];
  const skipped = [];
  const want = (name, entry = name, why = `${name} is not in the workspace`) => (packages.has(name) ? entries.push(entry) : skipped.push(why));
  want('@graft/core');
  for (const [name, json] of [...packages].sort(([a], [b]) => a.localeCompare(b))) if (json.keywords?.includes('graft-strategy')) entries.push(name);
  want('@graft/models');
  want('@graft/conformance', '@graft/conformance/checks');
  if (packages.get('@graft/train')?.exports?.['./node'] !== undefined) entries.push('@graft/train');
  else skipped.push('@graft/train has no ./node subpath yet (its file IO still lives in the main entry)');
  return { entries, skipped };
}

/**
 * Bundles `entries` (package specifiers or files) for the browser in one build and returns, for each, the first
 * import chain from the entry to a Node builtin (`[entry, file, …, 'node:fs']`), or `null` when none is reached.
 */
export async function nodeImportChains(entries, { cwd }) {
  const children = new Map();
  const entryIds = new Map();
  const leaks = new Map();
  const link = (from, to) => (children.get(from) ?? children.set(from, new Set()).get(from)).add(to);
  const bundle = await rolldown({
    input: Object.fromEntries(entries.map((e, i) => [`entry${i}`, e])),
    cwd,
    platform: 'browser',
    logLevel: 'silent',
    plugins: [
      {
        name: 'graft-node-builtins',
        async resolveId(source, importer, options) {
          const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
          if (importer === undefined) {
            if (resolved === null) throw new Error(`Cannot resolve the browser entry ${source}; is it built (npx tsc -b)?`);
            entryIds.set(source, resolved.id);
            return resolved;
          }
          if (isBuiltin(source) && (resolved === null || resolved.external)) {
            const id = `builtin:${source}`;
            link(importer, id);
            leaks.set(id, source);
            return { id: source, external: true };
          }
          if (resolved !== null) link(importer, resolved.id);
          return resolved;
        },
      },
    ],
  });
  try {
    await bundle.generate({ format: 'esm' });
  } finally {
    await bundle.close();
  }
  return new Map(entries.map((entry) => [entry, chainFrom(entryIds.get(entry), children, leaks)]));
}

/** Breadth-first: the shortest chain from `start` to a leaked builtin. */
function chainFrom(start, children, leaks) {
  if (start === undefined) return null;
  const parent = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift();
    if (leaks.has(id)) {
      const chain = [];
      for (let at = id; at !== null; at = parent.get(at)) chain.unshift(leaks.get(at) ?? at);
      return chain;
    }
    for (const next of children.get(id) ?? []) {
      if (!parent.has(next)) {
        parent.set(next, id);
        queue.push(next);
      }
    }
  }
  return null;
}

/** `entry → packages/core/dist/node/load-model.js → node:fs`, paths relative to `root`. */
export function formatChain(entry, chain, root) {
  return [entry, ...chain.slice(1).map((id) => (path.isAbsolute(id) ? path.relative(root, id) : id))].join(' → ');
}
