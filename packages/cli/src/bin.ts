#!/usr/bin/env node
import { quietTfjs } from './quiet-tfjs.js';
import { runCli } from './run.js';

const args = process.argv.slice(2);
await quietTfjs(args.includes('--debug'), (text) => void process.stderr.write(text));
// exitCode rather than exit(): a large JSON result piped to another program must be flushed first.
process.exitCode = await runCli(args);
