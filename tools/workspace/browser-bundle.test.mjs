import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserEntries, formatChain, nodeImportChains } from './browser-bundle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { entries, skipped } = browserEntries(root);

describe('browser entries bundle without Node builtins', () => {
  it('lists core, the strategies and the conformance checkers', () => {
    expect(entries).toEqual(expect.arrayContaining(['@graft/core', '@graft/dense-identity', '@graft/widen', '@graft/conformance/checks']));
    if (skipped.length > 0) console.log(`bundle check leaves out: ${skipped.join('; ')}`);
  });

  it('every entry is a dependency of this package, so nx builds it before this test', () => {
    const json = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
    const declared = new Set(Object.keys({ ...json.dependencies, ...json.devDependencies }));
    const missing = entries.map((e) => e.split('/').slice(0, 2).join('/')).filter((name) => !declared.has(name));
    expect(missing, 'add these to tools/workspace devDependencies ("*") so nx builds them before the bundle check').toEqual([]);
  });

  it('no entry reaches a Node builtin (the chain is named when one does)', async () => {
    const chains = await nodeImportChains(entries, { cwd: root });
    const leaks = [...chains].filter(([, chain]) => chain !== null).map(([entry, chain]) => formatChain(entry, chain, root));
    expect(leaks).toEqual([]);
  });

  it('FAILS an entry that imports node:fs, naming the chain (negative control)', async () => {
    const leak = path.join(here, 'fixtures/node-leak/entry.mjs');
    const safe = path.join(here, 'fixtures/node-leak/browser-safe.mjs');
    const chains = await nodeImportChains([leak, safe], { cwd: root });
    expect(formatChain('entry.mjs', chains.get(leak), root)).toBe('entry.mjs → tools/workspace/fixtures/node-leak/reads-files.mjs → node:fs');
    expect(chains.get(safe)).toBeNull();
  });
});
