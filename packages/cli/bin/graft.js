#!/usr/bin/env node
// The committed entry point npm links as `graft` at install time (a link to dist/ would be skipped on a fresh clone,
// where dist/ is built only afterwards). The CLI itself is compiled to dist/bin.js.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('error: graft is not built yet; run `npm run build` at the repository root, then try again.\n');
  process.exit(1);
}
await import(compiled.href);
