import { promises as fs } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** Every module specifier the built file imports or re-exports statically. */
async function importsOf(file: string): Promise<string[]> {
  const code = await fs.readFile(file, 'utf8');
  return [...code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map(
    (match) => (match[1] ?? match[2] ?? match[3]) as string,
  );
}

/** The Node.js builtins reachable from `entry` through this package's own files, with who imports them. */
async function builtinsReachable(entry: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of await importsOf(file)) {
      if (builtins.has(specifier)) found.push(`${path.relative(dist, file)} imports ${specifier}`);
      else if (specifier.startsWith('.')) await visit(path.resolve(path.dirname(file), specifier));
    }
  };
  await visit(entry);
  return found;
}

describe('entries', () => {
  it('the main entry reaches no Node.js builtin; the node entry does (negative control)', async () => {
    expect(await builtinsReachable(path.join(dist, 'index.js'))).toEqual([]);
    expect(await builtinsReachable(path.join(dist, 'node', 'index.js'))).toContain('node/checkpoint-folder.js imports node:fs');
  });
});
