import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaffoldError, camelCase, scaffoldStrategy, validateName } from './new-strategy.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(repo, 'tools', 'workspace', 'new-strategy.mjs');
const read = (file) => readFileSync(file, 'utf8');
const json = (file) => JSON.parse(read(file));

/**
 * A stand-in for the repository: its own root tsconfig.json, .changeset and a copy of the CLI package (which the
 * scaffold writes), links to the other real packages and apps (which it only reads), and a node_modules that links
 * every real dependency plus the @graft workspace packages of this root, as `npm install` would link them.
 */
function fakeRoot() {
  const root = mkdtempSync(path.join(tmpdir(), 'graft-new-strategy-'));
  for (const file of ['tsconfig.json', 'tsconfig.base.json']) copyFileSync(path.join(repo, file), path.join(root, file));
  mkdirSync(path.join(root, '.changeset'));
  mkdirSync(path.join(root, 'packages'));
  for (const entry of readdirSync(path.join(repo, 'packages'))) {
    if (entry === 'cli') cpSync(path.join(repo, 'packages', 'cli'), path.join(root, 'packages', 'cli'), { recursive: true, filter: (from) => !from.includes('node_modules') });
    else symlinkSync(path.join(repo, 'packages', entry), path.join(root, 'packages', entry), 'dir');
  }
  symlinkSync(path.join(repo, 'apps'), path.join(root, 'apps'), 'dir');
  mkdirSync(path.join(root, 'node_modules', '@graft'), { recursive: true });
  for (const entry of readdirSync(path.join(repo, 'node_modules'))) {
    if (entry !== '@graft') symlinkSync(path.join(repo, 'node_modules', entry), path.join(root, 'node_modules', entry));
  }
  return root;
}

/** What `npm install` does for the workspace: links node_modules/@graft/<package> to packages/<package>. */
function linkWorkspace(root) {
  for (const entry of readdirSync(path.join(root, 'packages'))) {
    const link = path.join(root, 'node_modules', '@graft', entry);
    if (!existsSync(link)) symlinkSync(path.join(root, 'packages', entry), link, 'dir');
  }
}

describe('new-strategy', () => {
  let root;
  let written;
  const pkg = () => path.join(root, 'packages', 'conv-widen');

  beforeAll(() => {
    root = fakeRoot();
    written = scaffoldStrategy({ name: 'conv-widen', root });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the package, registers it, and adds a changeset', () => {
    expect([...written].sort()).toEqual([
      '.changeset/conv-widen-initial.md',
      'packages/conv-widen/README.md',
      'packages/conv-widen/package.json',
      'packages/conv-widen/src/conv-widen.conformance.test.ts',
      'packages/conv-widen/src/conv-widen.ts',
      'packages/conv-widen/src/index.ts',
      'packages/conv-widen/tsconfig.json',
      'packages/conv-widen/tsconfig.test.json',
      'packages/conv-widen/vitest.config.ts',
      'packages/cli/package.json',
      'packages/cli/src/strategies.ts',
      'packages/cli/tsconfig.json',
      'tsconfig.json',
    ].sort());
    expect(read(path.join(root, '.changeset', 'conv-widen-initial.md'))).toMatch(/^---\n"@graft\/conv-widen": minor\n---\n\n\S/);
  });

  it('writes a package.json of the same shape as the existing strategy packages', () => {
    const generated = json(path.join(pkg(), 'package.json'));
    const existing = json(path.join(repo, 'packages', 'dense-identity', 'package.json'));
    expect(Object.keys(generated)).toEqual(Object.keys(existing));
    expect(generated).toMatchObject({ name: '@graft/conv-widen', version: '0.1.0', type: 'module', sideEffects: false, engines: { node: '>=20.19' } });
    for (const key of ['exports', 'main', 'types', 'files', 'scripts', 'peerDependencies', 'publishConfig']) expect(generated[key]).toEqual(existing[key]);
    expect(generated.keywords).toContain('graft-strategy');
    expect(generated.dependencies).toEqual({ '@graft/core': '*' });
    expect(generated.devDependencies).toEqual({ '@graft/conformance': '*', '@tensorflow/tfjs': existing.devDependencies['@tensorflow/tfjs'] });
  });

  it('writes the same tsconfigs and vitest config as the existing strategy packages', () => {
    const existing = path.join(repo, 'packages', 'dense-identity');
    expect(json(path.join(pkg(), 'tsconfig.json'))).toEqual(json(path.join(existing, 'tsconfig.json')));
    // The test-only conformance package is referenced by the test config alone, as in every strategy package.
    expect(json(path.join(pkg(), 'tsconfig.test.json'))).toEqual({ ...json(path.join(existing, 'tsconfig.test.json')), references: [{ path: '../core' }, { path: '../conformance' }] });
    expect(json(path.join(pkg(), 'tsconfig.json')).references).toEqual([{ path: '../core' }]);
    expect(read(path.join(pkg(), 'vitest.config.ts'))).toBe(read(path.join(existing, 'vitest.config.ts')).replace('@graft/dense-identity', '@graft/conv-widen'));
  });

  it('adds one reference to the root tsconfig.json and keeps its layout', () => {
    const before = read(path.join(repo, 'tsconfig.json'));
    const after = read(path.join(root, 'tsconfig.json'));
    expect(after).toBe(`${JSON.stringify(JSON.parse(after), null, 2)}\n`);
    expect(before).toBe(`${JSON.stringify(JSON.parse(before), null, 2)}\n`); // the layout kept is the file's own
    const added = JSON.parse(after).references.filter((r) => !JSON.parse(before).references.some((b) => b.path === r.path));
    expect(added).toEqual([{ path: 'packages/conv-widen' }]);
  });

  it('exports a camelCase factory and calls the conformance suite', () => {
    expect(read(path.join(pkg(), 'src', 'index.ts'))).toBe("export { convWiden } from './conv-widen.js';\n");
    expect(read(path.join(pkg(), 'src', 'conv-widen.conformance.test.ts'))).toMatch(/describeStrategyConformance\(convWiden\(\), \{\n {2}sites: \{/);
  });

  it('registers the package in the CLI: registry entry, dependency and TypeScript reference', () => {
    const registry = read(path.join(root, 'packages', 'cli', 'src', 'strategies.ts'));
    expect(registry).toContain("import { convWiden } from '@graft/conv-widen';\n");
    expect(registry).toMatch(/ {2}'add-heads': \(\) => addHeads\(\),\n {2}'conv-widen': \(\) => convWiden\(\),\n\}\);/);
    expect(json(path.join(root, 'packages', 'cli', 'package.json')).dependencies['@graft/conv-widen']).toBe('*');
    expect(json(path.join(root, 'packages', 'cli', 'tsconfig.json')).references).toContainEqual({ path: '../conv-widen' });
    expect(read(path.join(repo, 'packages', 'cli', 'src', 'strategies.ts'))).not.toContain('conv-widen');
  });

  it('shows in graft strategies once the workspace is linked and built, with no manual edit', () => {
    linkWorkspace(root);
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-b', 'packages/cli'], { cwd: root, encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    const run = spawnSync(process.execPath, [path.join(root, 'packages', 'cli', 'dist', 'bin.js'), 'strategies', '--json'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const names = JSON.parse(run.stdout).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['dense-identity', 'widen', 'conv-widen']));
    expect(names.at(-1)).toBe('conv-widen');
  });

  it.each([
    ['', /Give the strategy a name/],
    ['ConvWiden', /not kebab-case/],
    ['conv_widen', /not kebab-case/],
    ['-conv', /not kebab-case/],
    ['conv-widen', /packages\/conv-widen already exists/],
    ['dense-identity', /packages\/dense-identity already exists/],
  ])('refuses the name "%s"', (name, message) => {
    expect(() => validateName(name, root)).toThrow(ScaffoldError);
    expect(() => validateName(name, root)).toThrow(message);
  });

  it('exits 1 with a one-line message from the command line, writing nothing', () => {
    const run = spawnSync(process.execPath, [script, 'Bad_Name', '--root', root], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('new-strategy: "Bad_Name" is not kebab-case. Expected lower-case words joined by dashes, e.g. conv-widen.');
    expect(existsSync(path.join(root, 'packages', 'Bad_Name'))).toBe(false);
  });

  it('prints the next steps from the command line', () => {
    const run = spawnSync(process.execPath, [script, 'dense-shrink', '--root', root], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Next steps:\n {2}1\. npm install/);
    expect(camelCase('dense-shrink-2')).toBe('denseShrink2');
  });

  it('type-checks under the workspace compiler settings', () => {
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.test.json'], { cwd: pkg(), encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('FAILS its conformance suite until it is implemented', () => {
    if (!existsSync(path.join(repo, 'packages', 'conformance', 'dist', 'index.js'))) {
      throw new Error('Build @graft/conformance first: npx tsc -b packages/conformance.');
    }
    const results = path.join(root, 'conformance-results.json');
    const vitest = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
    const run = spawnSync(process.execPath, [vitest, 'run', '--reporter=json', `--outputFile=${results}`], {
      cwd: pkg(),
      encoding: 'utf8',
      env: { ...process.env, GRAFT_CONFORMANCE_BACKENDS: 'cpu', FORCE_COLOR: '0' },
    });
    expect(run.status).toBe(1);
    const tests = json(results).testResults.flatMap((file) => file.assertionResults);
    const named = (title) => tests.find((t) => t.title === title);
    expect(named('has the shape of a graft strategy')?.status).toBe('passed');
    expect(named('states a site on at least one fixture')?.status).toBe('passed');
    expect(tests.filter((t) => t.title === 'offers exactly the stated sites').every((t) => t.status === 'passed')).toBe(true);
    const failed = tests.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThan(20);
    expect(failed.every((t) => t.failureMessages.join('\n').includes('The conv-widen strategy is not implemented yet'))).toBe(true);
  });
});
