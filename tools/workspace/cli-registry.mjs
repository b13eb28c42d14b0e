// Registers a scaffolded strategy package in the `graft` CLI: its registry (packages/cli/src/strategies.ts), its
// dependencies and its TypeScript references, so that after `npm install` the strategy shows in `graft strategies`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A registry file the scaffold cannot edit safely; the caller reports it like any other scaffolding problem. */
export class RegistryError extends Error {
  name = 'RegistryError';
}

const FACTORIES = /(export const strategyFactories[^\n]*= Object\.freeze\(\{\n)([\s\S]*?)(\n\}\);)/;

/**
 * Adds `import { <camelName> } from '@graft/<name>';` after the last strategy import and `'<name>': () =>
 * <camelName>(),` as the last entry of `strategyFactories`. Returns false when the name was registered already.
 * @throws RegistryError when the file does not have the shape the scaffold expects.
 */
export function addToRegistry(source, name, camelName) {
  const entry = `  '${name}': () => ${camelName}(),`;
  if (source.includes(`from '@graft/${name}';`)) return false;
  const match = FACTORIES.exec(source);
  if (match === null) throw new RegistryError('packages/cli/src/strategies.ts has no `export const strategyFactories = Object.freeze({ … });` to add to.');
  const lines = source.split('\n');
  const lastImport = lines.findLastIndex((line) => /^import \{[^}]*\} from '@graft\/(?!core')[^']+';$/.test(line));
  if (lastImport < 0) throw new RegistryError('packages/cli/src/strategies.ts imports no strategy package; expected lines like import { widen } from \'@graft/widen\';');
  const withEntry = source.replace(FACTORIES, (_whole, head, body, tail) => `${head}${body}\n${entry}${tail}`);
  const updated = withEntry.split('\n');
  updated.splice(lastImport + 1, 0, `import { ${camelName} } from '@graft/${name}';`);
  return updated.join('\n');
}

function editJson(file, edit) {
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const changed = edit(config);
  if (changed) writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return changed;
}

/**
 * Registers `@graft/<name>` in the CLI under `root`: the registry entry, a `"@graft/<name>": "*"` dependency (after
 * the other graft packages) and a `../<name>` project reference. Returns the paths changed, relative to `root`.
 * @throws RegistryError when strategies.ts cannot be edited safely.
 */
export function registerInCli(root, name, camelName) {
  const cli = path.join(root, 'packages', 'cli');
  const changed = [];
  const registry = path.join(cli, 'src', 'strategies.ts');
  const updated = addToRegistry(readFileSync(registry, 'utf8'), name, camelName);
  if (updated !== false) {
    writeFileSync(registry, updated);
    changed.push(registry);
  }
  const pkg = path.join(cli, 'package.json');
  const addedDependency = editJson(pkg, (config) => {
    const entries = Object.entries(config.dependencies ?? {});
    if (entries.some(([key]) => key === `@graft/${name}`)) return false;
    const lastGraft = entries.findLastIndex(([key]) => key.startsWith('@graft/'));
    entries.splice(lastGraft + 1, 0, [`@graft/${name}`, '*']);
    config.dependencies = Object.fromEntries(entries);
    return true;
  });
  if (addedDependency) changed.push(pkg);
  const tsconfig = path.join(cli, 'tsconfig.json');
  const addedReference = editJson(tsconfig, (config) => {
    const references = config.references ?? [];
    if (references.some((r) => r.path === `../${name}`)) return false;
    config.references = [...references, { path: `../${name}` }];
    return true;
  });
  if (addedReference) changed.push(tsconfig);
  return changed.map((file) => path.relative(root, file));
}
