/**
 * The compiled worker script next to the module at `moduleUrl`. Replicas always run compiled JavaScript: when the
 * module itself runs from TypeScript source (`src/…/x.ts`, as under vitest), the script is taken from the
 * package's `dist/` instead, which the test task builds first.
 */
export function workerScriptUrl(moduleUrl: string): URL {
  const here = new URL(moduleUrl);
  if (!here.pathname.endsWith('.ts')) return new URL('./worker.js', here);
  const source = here.pathname.lastIndexOf('/src/');
  if (source < 0) throw new Error(`Cannot find the compiled worker for ${moduleUrl}: it is not under a src/ folder.`);
  const compiled = new URL(here.href);
  compiled.pathname = `${here.pathname.slice(0, source)}/dist/${here.pathname.slice(source + '/src/'.length).replace(/[^/]+\.ts$/, 'worker.js')}`;
  return compiled;
}
