#!/usr/bin/env node
// `npm run new-strategy -- <name> [--description "<one sentence>"] [--root <dir>]`: scaffolds packages/<name>, a
// graft strategy package whose conformance suite fails until the strategy is implemented.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addToRegistry, RegistryError, registerInCli } from './cli-registry.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const templates = path.join(here, 'templates', 'strategy');
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A scaffolding problem a user can fix; the CLI prints its message and exits 1. */
export class ScaffoldError extends Error {
  name = 'ScaffoldError';
}

/** `conv-gate` → `convGate`. */
export function camelCase(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/**
 * Checks a strategy name: kebab-case, and no package of that name in `root`.
 * @throws ScaffoldError saying what is wrong and what is expected.
 */
export function validateName(name, root) {
  if (typeof name !== 'string' || name === '') throw new ScaffoldError('Give the strategy a name: npm run new-strategy -- <name>, e.g. conv-widen.');
  if (!NAME.test(name)) throw new ScaffoldError(`"${name}" is not kebab-case. Expected lower-case words joined by dashes, e.g. conv-widen.`);
  if (existsSync(path.join(root, 'packages', name))) throw new ScaffoldError(`packages/${name} already exists. Expected a new name.`);
}

function validateDescription(description) {
  if (!/^[^"'`\\$\n\r{}]{1,200}$/.test(description)) {
    throw new ScaffoldError('The description must be one line of up to 200 characters without quotes, backslashes, $ or braces.');
  }
}

function listTemplates(dir, prefix = '') {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listTemplates(full, path.join(prefix, entry)) : [path.join(prefix, entry)];
  });
}

function fill(text, values) {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key) => {
    if (!(key in values)) throw new Error(`Template placeholder ${whole} has no value.`);
    return values[key];
  });
}

/**
 * Adds `{ "path": "packages/<name>" }` to the root tsconfig.json's references, after the last package, keeping the
 * file's two-space JSON layout. Returns false when it was already there.
 */
export function addReference(root, name) {
  const file = path.join(root, 'tsconfig.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const references = config.references ?? [];
  const target = `packages/${name}`;
  if (references.some((r) => r.path === target)) return false;
  const lastPackage = references.findLastIndex((r) => r.path.startsWith('packages/'));
  references.splice(lastPackage + 1, 0, { path: target });
  config.references = references;
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return true;
}

/**
 * Writes packages/<name> (package.json, tsconfigs, vitest config, README, src/index.ts, src/<name>.ts and
 * src/<name>.conformance.test.ts), registers it in the root tsconfig.json and in the CLI (registry, dependency,
 * reference; see cli-registry.mjs), and adds .changeset/<name>-initial.md.
 * Returns the paths written, relative to `root`.
 * @throws ScaffoldError for a bad or taken name, a bad description, a root without tsconfig.json, or a CLI registry
 *   it cannot edit (checked before anything is written).
 */
export function scaffoldStrategy({ name, root, description = `TODO: say in one sentence what ${name} inserts.` }) {
  validateName(name, root);
  validateDescription(description);
  if (!existsSync(path.join(root, 'tsconfig.json'))) throw new ScaffoldError(`${root} has no tsconfig.json. Expected the root of the graft workspace.`);
  const values = { name, camelName: camelCase(name), description };
  const registry = path.join(root, 'packages', 'cli', 'src', 'strategies.ts');
  if (!existsSync(registry)) throw new ScaffoldError(`${registry} is missing. Expected the graft CLI's strategy registry.`);
  try {
    addToRegistry(readFileSync(registry, 'utf8'), name, values.camelName);
  } catch (error) {
    if (error instanceof RegistryError) throw new ScaffoldError(error.message);
    throw error;
  }
  const packageDir = path.join(root, 'packages', name);
  const written = [];
  for (const template of listTemplates(templates)) {
    if (template === 'changeset.md.template') continue;
    const target = path.join(packageDir, template.replace(/\.template$/, '').replace('__name__', name));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, fill(readFileSync(path.join(templates, template), 'utf8'), values));
    written.push(path.relative(root, target));
  }
  if (addReference(root, name)) written.push('tsconfig.json');
  try {
    written.push(...registerInCli(root, name, values.camelName));
  } catch (error) {
    if (error instanceof RegistryError) throw new ScaffoldError(error.message);
    throw error;
  }
  const changeset = path.join(root, '.changeset', `${name}-initial.md`);
  mkdirSync(path.dirname(changeset), { recursive: true });
  writeFileSync(changeset, fill(readFileSync(path.join(templates, 'changeset.md.template'), 'utf8'), values));
  written.push(path.relative(root, changeset));
  return written;
}

function parseArgs(argv) {
  const options = { root: path.resolve(here, '..', '..') };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--root' || arg === '--description') {
      const value = argv[++i];
      if (value === undefined) throw new ScaffoldError(`${arg} needs a value.`);
      options[arg.slice(2)] = arg === '--root' ? path.resolve(value) : value;
    } else if (arg.startsWith('--')) {
      throw new ScaffoldError(`Unknown option ${arg}. Expected --description "<one sentence>" or --root <dir>.`);
    } else {
      rest.push(arg);
    }
  }
  if (rest.length > 1) throw new ScaffoldError(`Expected one name; got ${rest.join(' ')}.`);
  return { ...options, name: rest[0] };
}

function main() {
  try {
    const { name, root, description } = parseArgs(process.argv.slice(2));
    const written = scaffoldStrategy(description === undefined ? { name, root } : { name, root, description });
    console.log(`Created @graft/${name}:\n${written.map((f) => `  ${f}`).join('\n')}\n`);
    console.log(`Next steps:
  1. npm install                          link the new workspace package (the CLI now depends on it)
  2. npx tsc -b                            build it, and the CLI: graft strategies lists ${name}
  3. cd packages/${name} && npx vitest run  the conformance suite: it FAILS until ${camelCase(name)}() is implemented
  4. implement findSites and apply in packages/${name}/src/${name}.ts, fill in its README and the changeset`);
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    console.error(`new-strategy: ${error.message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
